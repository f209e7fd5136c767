"""Newsroom settings with defaults, read lazily (never at import time)."""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "INDEX_DIR": None,  # None: <NEWSROOM_DATA_DIR>/index
    "MAX_IMPORT_BYTES": 5 * 1024 * 1024,
    # A line seen verbatim in this many articles of one source is site-wide boilerplate.
    "REPEATED_LINE_MIN_ARTICLES": 3,
    # Processes that clean an import's documents (1: this process; see docs/import.md).
    "IMPORT_PROCESSES": 1,
    # Find near-duplicates (re-posted copies of a story) at import: search.clusters.
    "NEAR_DUPLICATES": True,
    "INDEX_LOCK_TIMEOUT": 10.0,
    "WILDCARD_MAX_EXPANSIONS": 50,
    # Seconds a search may spend reading postings; past it, it answers with what it has.
    "SEARCH_TIME_BUDGET": 1.0,
    # Saved searches are public and anonymous: each client may save this many an hour.
    "SAVES_PER_CLIENT_PER_HOUR": 10,
    # Proxies in front of the server that append the client's address to X-Forwarded-For.
    "TRUSTED_PROXIES": 0,
}


def get_setting(name: str) -> Any:
    configured = getattr(settings, "NEWSROOM", {})
    if name in configured:
        return configured[name]
    if name == "INDEX_DIR":
        return str(settings.DATA_DIR / "index")
    return DEFAULTS[name]
