"""Newsroom settings with defaults, read lazily (never at import time)."""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "INDEX_DIR": None,  # None: <NEWSROOM_DATA_DIR>/index
    "MAX_IMPORT_BYTES": 5 * 1024 * 1024,
    # A PDF of more pages than this is reported and skipped; reading one PDF (OCR included)
    # may take this many seconds, checked between pages and enforced on the OCR program.
    "PDF_MAX_PAGES": 200,
    "PDF_TIMEOUT_SECONDS": 120.0,
    # A line seen verbatim in this many articles of one source is site-wide boilerplate.
    "REPEATED_LINE_MIN_ARTICLES": 3,
    # Processes that clean an import's documents (1: this process; see docs/import.md).
    "IMPORT_PROCESSES": 1,
    # Find near-duplicates (re-posted copies of a story) at import: search.stories.clusters.
    "NEAR_DUPLICATES": True,
    "INDEX_LOCK_TIMEOUT": 10.0,
    "WILDCARD_MAX_EXPANSIONS": 50,
    # Seconds a search may spend reading postings; past it, it answers with what it has.
    "SEARCH_TIME_BUDGET": 1.0,
    # Costly searches (search/engine/costly.py) running at once on this machine (0: half the
    # cores, at least 1), and how long one waits for its turn before a "busy" answer.
    "COSTLY_SEARCH_SLOTS": 0,
    "COSTLY_SEARCH_WAIT": 5.0,
    # Saved searches are public and anonymous: each client may save this many an hour.
    "SAVES_PER_CLIENT_PER_HOUR": 10,
    # Proxies in front of the server that append the client's address to X-Forwarded-For.
    "TRUSTED_PROXIES": 0,
    # Private mode: every page, the API and the feeds need a signed-in user
    # (search.accounts.access).
    "PRIVATE": False,
    # Failed sign-ins allowed per account name and per client in LOGIN_FAILURE_WINDOW_MINUTES.
    "LOGIN_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_FAILURES_PER_CLIENT": 20,
    "LOGIN_FAILURE_WINDOW_MINUTES": 15,
    # Password-reset mails that may be asked for an hour, per address typed and per client.
    "PASSWORD_RESETS_PER_ADDRESS": 3,
    "PASSWORD_RESETS_PER_CLIENT": 10,
    # A search exported as CSV/JSON Lines/RIS holds at most this many articles.
    "EXPORT_MAX_ARTICLES": 10_000,
    # Exports are the costliest thing a reader can ask for: each client may start this many
    # an hour (counted in the database, which every process and node shares).
    "EXPORTS_PER_CLIENT_PER_HOUR": 30,
    # Alerts on saved searches (search.desk.alerts): alerts one user may have, and alert
    # mails one user may get in 24 hours (the last one says so; later matches wait).
    "ALERTS_PER_USER": 20,
    "ALERT_MAILS_PER_DAY": 50,
    # An "as they arrive" alert is checked this often (send_alerts runs every minute).
    "ALERT_CHECK_MINUTES": 5,
    # An alert mail the SMTP server still fails to take (4xx, or down) this many days after it
    # was written is given up, as a mail server bounces after its queue lifetime (Postfix: 5d).
    "ALERT_MAIL_LIFETIME_DAYS": 5,
    # The site's address as its readers reach it: the links in alert mails start with it.
    "SITE_URL": "http://127.0.0.1:8000",
    # With a read replica: a client that wrote reads searches from the primary this long.
    "REPLICA_READ_YOUR_WRITES_SECONDS": 10.0,
    # Triage (search.desk.triage): anonymous visitors of a public archive see labels and shared
    # notes only when this is on; a user may write this many notes an hour.
    "PUBLIC_TRIAGE": False,
    "NOTES_PER_USER_PER_HOUR": 60,
}


def get_setting(name: str) -> Any:
    configured = getattr(settings, "NEWSROOM", {})
    if name in configured:
        return configured[name]
    if name == "INDEX_DIR":
        return str(settings.DATA_DIR / "index")
    return DEFAULTS[name]
