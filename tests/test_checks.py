"""Production settings: the deploy checks, the security headers, and `check --deploy` clean."""

from __future__ import annotations

import subprocess

import pytest

from newsroom.checks import production_settings, weak_secret_key
from tests.tooling import ROOT

STRONG_KEY = "Zq3" + "x7Lm9PwR2tYv" * 5
TLS_ENVIRONMENT = {
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "news.example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_COOKIES": "1",
    "CSRF_TRUSTED_ORIGINS": "https://news.example.org",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "NEWSROOM_TRUSTED_PROXIES": "1",
}


def check_deploy(tmp_path, environment: dict[str, str]) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "NEWSROOM_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run(
        [
            str(ROOT / ".venv/bin/python"),
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=ROOT,
        env={**base, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_tls_variables_set(tmp_path):
    completed = check_deploy(tmp_path, TLS_ENVIRONMENT)
    assert completed.returncode == 0, completed.stderr
    assert "System check identified no issues" in completed.stdout


def test_behind_a_proxy_the_client_addresses_must_be_read_from_it(tmp_path):
    environment = {**TLS_ENVIRONMENT, "NEWSROOM_TRUSTED_PROXIES": "0"}
    completed = check_deploy(tmp_path, environment)
    assert completed.returncode == 1
    assert "newsroom.W001" in completed.stderr and "NEWSROOM_TRUSTED_PROXIES" in completed.stderr


def test_check_deploy_names_every_tls_variable_left_unset(tmp_path):
    completed = check_deploy(tmp_path, {"SECRET_KEY": STRONG_KEY})
    assert completed.returncode == 1
    for check_id in ["W004", "W008", "W012", "W016"]:  # HSTS, SSL redirect, both cookies
        assert f"security.{check_id}" in completed.stderr


@pytest.mark.parametrize(
    ("key", "weak"),
    [
        ("change-me", True),
        ("django-insecure-" + "a1b2c3d4e5" * 6, True),
        ("a" * 60, True),
        (STRONG_KEY, False),
    ],
)
def test_weak_secret_keys(key, weak):
    assert weak_secret_key(key) is weak


def test_production_settings_errors_say_what_to_set(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = "change-me"
    settings.ALLOWED_HOSTS = []
    errors = production_settings()
    assert [error.id for error in errors] == ["newsroom.E001", "newsroom.E002", "newsroom.E003"]
    assert "DEBUG" in errors[0].hint and "SECRET_KEY" in errors[1].hint
    settings.DEBUG, settings.SECRET_KEY, settings.ALLOWED_HOSTS = False, STRONG_KEY, ["a.org"]
    assert production_settings() == []


def test_every_page_carries_the_security_headers(client, db):
    response = client.get("/saved/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_ssl_redirect_spares_the_health_check(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/saved/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/saved/"
    assert client.get("/healthz").status_code in {200, 503}  # answered, not redirected
