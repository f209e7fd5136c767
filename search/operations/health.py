"""What a load balancer asks: can this process answer from the database and the index?"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import DatabaseError

from search import engine
from search.models import Article
from search.query import SearchQuery

logger = logging.getLogger(__name__)

OK = "ok"


@dataclass(frozen=True)
class Health:
    database: str  # "ok", or what is wrong
    index: str

    @property
    def healthy(self) -> bool:
        return self.database == OK and self.index == OK

    def as_dict(self) -> dict[str, str]:
        status = "ok" if self.healthy else "unavailable"
        return {"status": status, "database": self.database, "index": self.index}


def database_status() -> str:
    try:
        Article.objects.exists()  # the connection, and the migrated table the pages read
    except DatabaseError as error:
        # The endpoint is public: the error's text can name hosts, users and tables, so it
        # goes to the server log and the answer names only its kind.
        logger.exception("Health check: the database does not answer")
        return f"The database does not answer ({type(error).__name__}); see the server log."
    return OK


# A word no article holds: the probe search opens the index and looks a term up, no more.
PROBE_QUERY = SearchQuery(q="zzhealthprobezz", per_page=1)


def index_status() -> str:
    try:
        engine.require_current_schema()
    except engine.IndexOutdated:
        pass  # it still answers searches; check_index reports it for a rebuild
    except engine.IndexUnavailable as error:
        return str(error)
    try:
        engine.search(PROBE_QUERY)
    except engine.IndexUnavailable as error:
        return str(error)
    return OK


def check_health() -> Health:
    return Health(database=database_status(), index=index_status())
