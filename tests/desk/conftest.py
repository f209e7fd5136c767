"""What the desk's mail tests share: the app's mail sent by SMTP to a local port, where a
test starts a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import pytest


@pytest.fixture
def smtp_port(settings) -> int:
    from tests.servers import free_port  # a plugin of some test modules: imported late

    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.NEWSROOM = {**settings.NEWSROOM, "SITE_URL": "https://news.example.org"}
    return port
