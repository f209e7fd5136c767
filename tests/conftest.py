"""Every test gets its own data directory (index, uploads); fixtures build a seeded archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from search import engine
from search.models import Article
from search.operations import index_sync
from tests.postgres import postgres_database, postgres_server, use_postgres  # noqa: F401


@pytest.fixture(autouse=True)
def isolated_data_dir(settings, tmp_path):
    """Point every writable path at this test's tmp_path."""
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.NEWSROOM = {
        **settings.NEWSROOM,
        "INDEX_DIR": str(tmp_path / "index"),
        # A loaded CI machine can take a second over a tiny search: no test should see one cut
        # short unless it asks (the budget's own tests set theirs).
        "SEARCH_TIME_BUDGET": 30.0,
    }
    yield tmp_path
    engine.reset()  # close this test's searchers


@pytest.fixture(autouse=True)
def empty_cache():
    """Counts kept in the cache belong to one test's archive."""
    cache.clear()
    yield
    cache.clear()


# For tests of what users see through search: ``@on_every_engine`` runs them once per engine,
# the PostgreSQL one on a real server (with PostgreSQL as the database, as it must be).
ENGINE_NAMES = ["whoosh", "postgres", "tantivy"]
on_every_engine = pytest.mark.parametrize("search_engine_name", ENGINE_NAMES, indirect=True)


@pytest.fixture
def search_engine_name(request, settings) -> str:
    """The search engine of this test: Whoosh unless parametrised (``on_every_engine``)."""
    name = getattr(request, "param", "whoosh")
    if name == "postgres":
        use_postgres(request)  # before ``db``: the test's database is there
    settings.SEARCH_ENGINE = name
    engine.reset()
    return name


@pytest.fixture
def seeded(search_engine_name, db, django_capture_on_commit_callbacks):
    """The seed corpus imported, curated and indexed, as the README's setup leaves it."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_seeds", verbosity=0)
    index_sync.rebuild_index()
    return {article.source_path.split("/")[-1][:3]: article for article in Article.objects.all()}


def index_directory(settings) -> Path:
    """Where the embedded engine keeps this test's index (to damage it on purpose)."""
    return Path(settings.NEWSROOM["INDEX_DIR"])
