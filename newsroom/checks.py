"""Settings that must never reach production, as errors of `manage.py check --deploy`.

Django's own deploy checks only warn about these; `dev.py serve` runs the checks with
``--fail-level ERROR`` before it starts, so these stop it with a message saying what to set,
while Django's warnings about TLS settings are shown and left to the deployment to judge.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register

WEAK_KEY_PREFIX = "django-insecure-"
MIN_KEY_LENGTH = 50
MIN_KEY_UNIQUE_CHARACTERS = 5


def weak_secret_key(key: str) -> bool:
    return (
        len(key) < MIN_KEY_LENGTH
        or len(set(key)) < MIN_KEY_UNIQUE_CHARACTERS
        or key.startswith(WEAK_KEY_PREFIX)
    )


@register("security", deploy=True)
def production_settings(app_configs=None, **kwargs) -> list[Error | Warning]:
    errors = []
    if settings.DEBUG:
        errors.append(
            Error(
                "DEBUG is on: it shows tracebacks and settings to anyone.",
                hint="Unset DEBUG (or set DEBUG=0) in the server's environment.",
                id="newsroom.E001",
            )
        )
    if weak_secret_key(settings.SECRET_KEY):
        errors.append(
            Error(
                "SECRET_KEY is weak or a placeholder: sessions and CSRF tokens can be forged.",
                hint=f"Set SECRET_KEY to {MIN_KEY_LENGTH}+ random characters, e.g. the output of "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`, or unset it "
                "to use the one kept in the data directory.",
                id="newsroom.E002",
            )
        )
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.NEWSROOM.get(
        "TRUSTED_PROXIES"
    ):
        errors.append(
            Warning(
                "Behind a proxy every request comes from the proxy's address, so all clients "
                "share one allowance of saved searches.",
                hint="Set NEWSROOM_TRUSTED_PROXIES to the number of proxies that append the "
                "client's address to X-Forwarded-For (usually 1).",
                id="newsroom.W001",
            )
        )
    hosts = settings.ALLOWED_HOSTS
    if not hosts or "*" in hosts:
        errors.append(
            Error(
                f"ALLOWED_HOSTS is {hosts!r}: the server must name the hosts it answers for.",
                hint="Set ALLOWED_HOSTS to the site's host names, comma-separated.",
                id="newsroom.E003",
            )
        )
    return errors
