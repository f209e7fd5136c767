"""Search reads on a real streaming replica (search/read_replica.py): a hot standby made by
``pg_basebackup -R`` from the test's PostgreSQL and started beside it. Replay is paused and
resumed on the replica to tell its answers from the primary's; waits are for the replica's
replay position, never for a fixed time."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connections, transaction
from django.db.utils import load_backend
from django.test import Client

from search.models import Article, SavedSearch
from search.read_replica import REPLICA, WROTE_COOKIE, replica_reads_allowed, search_reads
from tests.postgres import ClusterUnavailable, new_replica, use_postgres
from tests.tooling import skip_or_fail


def new_article(title: str) -> Article:
    return Article.objects.create(
        title=title,
        body=f"{title}.",
        raw=title,
        content_hash=title,
        published=datetime.date(2024, 5, 1),
    )


def query(alias: str, sql: str, params=()) -> object:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] if cursor.description else None


def wait_for_replay(seconds: float = 30) -> None:
    """Until the replica has replayed everything the primary has committed so far."""
    # The test server commits asynchronously: one synchronous commit that wrote something
    # (a transaction that wrote nothing is not flushed) flushes the WAL up to it, so all
    # committed before is on its way to the replica.
    with transaction.atomic(using="default"):
        query("default", "SET LOCAL synchronous_commit = on")
        query("default", "SELECT pg_logical_emit_message(true, 'newsroom-test', 'mark')::text")
    target = query("default", "SELECT pg_current_wal_flush_lsn()::text")
    deadline = time.monotonic() + seconds
    while not query(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]):
        assert time.monotonic() < deadline, "the replica did not replay the primary's WAL"
        time.sleep(0.01)


def total(client: Client, q: str) -> int:
    response = client.get("/api/search", {"q": q})
    assert response.status_code == 200
    return response.json()["total"]


@pytest.fixture
def replica(request, settings, postgres_server):
    """The test's PostgreSQL as primary and a streaming replica of it as ``replica``."""
    try:
        cluster = new_replica(postgres_server.cluster)
    except ClusterUnavailable as error:
        skip_or_fail(str(error))
    settings_dict = {
        **postgres_server.settings_dict,
        "HOST": str(cluster.directory),
        "TEST": {**postgres_server.settings_dict["TEST"], "MIRROR": "default"},
    }
    connections.settings[REPLICA] = settings_dict
    connections[REPLICA] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, REPLICA
    )
    try:
        # The replica is one of the test's databases (Django refuses connections to others);
        # it mirrors the primary, so it is never flushed itself: it replays the primary's flush.
        # This marker comes first, so it is the one read (use_postgres adds one too).
        request.node.add_marker(
            pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
        )
        use_postgres(request)
        settings.SEARCH_ENGINE = "postgres"
        assert query(REPLICA, "SELECT pg_is_in_recovery()")
        yield cluster
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        cluster.stop()


@pytest.fixture
def replay_paused(replica):
    """Replay stopped on the replica: what the primary commits now, only the primary has."""
    query(REPLICA, "SELECT pg_wal_replay_pause()::text")
    yield
    query(REPLICA, "SELECT pg_wal_replay_resume()::text")


def test_a_search_reads_the_replica_and_finds_a_commit_once_it_is_replayed(replica, replay_paused):
    new_article("Numbat census")  # committed on the primary
    assert total(Client(), "numbat") == 0  # the search read the replica, which has not replayed
    query(REPLICA, "SELECT pg_wal_replay_resume()::text")
    wait_for_replay()
    assert total(Client(), "numbat") == 1


def test_writes_go_to_the_primary_and_a_client_that_wrote_reads_it(replica):
    earlier = new_article("Wombat census")
    wait_for_replay()
    query(REPLICA, "SELECT pg_wal_replay_pause()::text")
    try:
        editor, reader = Client(), Client()
        # A write on a hot standby fails ("read-only transaction"): this one is on the primary.
        response = editor.post("/saved/new/", {"name": "Numbats", "query_string": "q=numbat"})
        assert response.status_code == 302
        assert SavedSearch.objects.filter(name="Numbats").exists()
        assert WROTE_COOKIE in response.cookies

        new_article("Numbat census")
        assert total(editor, "numbat") == 1  # wrote a moment ago: searches the primary
        assert total(reader, "numbat") == 0  # everyone else: the replica, not replayed yet

        # An article a search read from the replica is saved back to the primary.
        with replica_reads_allowed(), search_reads():
            seen = Article.objects.get(pk=earlier.pk)
        assert seen._state.db == REPLICA
        seen.title = "Wombat and quokka census"
        seen.save()
        assert Article.objects.get(pk=earlier.pk).title == "Wombat and quokka census"
        assert total(editor, "quokka") == 1 and total(reader, "quokka") == 0
    finally:
        query(REPLICA, "SELECT pg_wal_replay_resume()::text")
    wait_for_replay()
    assert total(reader, "numbat") == total(reader, "quokka") == 1
