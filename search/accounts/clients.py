"""Who is asking: a stable, private key per client, for limits on anonymous writes."""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from search.conf import get_setting

# An IPv6 client usually holds a whole /64 and can change address within it at will.
IPV6_CLIENT_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The client's IP address: the peer's, or behind N trusted proxies (NEWSROOM_TRUSTED_PROXIES)
    the address the outermost of them appended to X-Forwarded-For. Entries to its left were
    sent by the client and may be forged, so they are never read."""
    proxies = get_setting("TRUSTED_PROXIES")
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_key(address: str) -> str:
    """A keyed hash of the address (its /64 for IPv6): the same client always gets the same key,
    and the database never holds a reader's IP address."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        prefix = IPV6_CLIENT_PREFIX if parsed.version == 6 else 32
        network = str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False))
    return salted_hmac("newsroom.clients.client_key", network).hexdigest()[:32]


def request_client_key(request: HttpRequest) -> str:
    return client_key(client_address(request))
