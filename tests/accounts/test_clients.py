"""Client keys for limits on anonymous writes: stable, private, hard to dodge or forge."""

from __future__ import annotations

from django.test import RequestFactory

from search.accounts.clients import client_address, client_key

requests = RequestFactory()


def test_the_peer_address_unless_proxies_are_trusted(settings):
    request = requests.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.9"  # a client may send any X-Forwarded-For
    settings.NEWSROOM = {**settings.NEWSROOM, "TRUSTED_PROXIES": 1}
    assert client_address(request) == "1.2.3.4"


def test_behind_a_proxy_only_the_address_it_appended_counts(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "TRUSTED_PROXIES": 1}
    forged = requests.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert client_address(forged) == "1.2.3.4"
    settings.NEWSROOM = {**settings.NEWSROOM, "TRUSTED_PROXIES": 2}
    assert client_address(forged) == "6.6.6.6"
    missing = requests.get("/", REMOTE_ADDR="10.0.0.9")
    assert client_address(missing) == "10.0.0.9"


def test_keys_are_stable_private_and_cover_an_ipv6_slash_64():
    assert client_key("1.2.3.4") == client_key("1.2.3.4")
    assert client_key("1.2.3.4") != client_key("1.2.3.5")
    assert "1.2.3.4" not in client_key("1.2.3.4") and len(client_key("1.2.3.4")) == 32
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff::9")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
