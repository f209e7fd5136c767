"""The index follows the database: after commit, through the durable queue, and the repair
commands put it right after it was deleted, damaged or changed behind its back."""

from __future__ import annotations

import datetime
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import numpy as np
import psutil
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import corpus
from search import engine
from search.documents import IndexDocument
from search.models import Article, Minister, PendingIndexChange
from search.operations import index_sync
from search.query import SearchQuery
from tests.conftest import index_directory


def found(q="", **kwargs):
    return {hit.id for hit in engine.search(SearchQuery(q=q, per_page=100, **kwargs)).hits}


def test_save_reaches_the_index_after_commit(seeded, django_capture_on_commit_callbacks):
    article = seeded["003"]
    with django_capture_on_commit_callbacks(execute=True):
        article.body += "\n\nA new paragraph about zeppelins."
        article.save()
    assert found("zeppelins") == {article.pk}
    assert PendingIndexChange.objects.count() == 0


def test_tag_changes_and_hiding_reach_the_index(seeded, django_capture_on_commit_callbacks):
    article = seeded["003"]
    modi = Minister.objects.get(slug="narendra-modi")
    with django_capture_on_commit_callbacks(execute=True):
        article.ministers.add(modi)
    assert article.pk in found(ministers=("narendra-modi",))
    with django_capture_on_commit_callbacks(execute=True):
        modi.articles.clear()  # from the minister's side
    assert found(ministers=("narendra-modi",)) == set()
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.HIDDEN
        article.save()
    assert article.pk not in found()
    with django_capture_on_commit_callbacks(execute=True):
        seeded["004"].delete()
    assert len(found()) == 3


def test_a_failed_index_write_stays_queued_and_is_applied_later(
    seeded, django_capture_on_commit_callbacks, monkeypatch
):
    article = seeded["002"]

    def busy(**kwargs):
        raise engine.IndexBusy("held by another process")

    monkeypatch.setattr(engine, "open_writer", busy)
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Walrus summit"
        article.save()
    assert PendingIndexChange.objects.filter(article_id=article.pk).exists()
    monkeypatch.undo()
    assert found("walrus") == set()
    call_command("process_index_queue")
    assert found("walrus") == {article.pk}
    assert PendingIndexChange.objects.count() == 0


def test_check_index_finds_and_repairs_a_change_behind_its_back(seeded, capsys):
    call_command("check_index")
    assert "matches the database" in capsys.readouterr().out
    Article.objects.filter(pk=seeded["001"].pk).update(title="Changed behind the index")
    with engine.open_writer(timeout=5) as writer:
        writer.delete(seeded["002"].pk)
    with pytest.raises(CommandError, match="--repair"):
        call_command("check_index")
    out = capsys.readouterr().out
    assert "missing: 1" in out and "stale: 1" in out
    call_command("check_index", "--repair")
    assert found("behind") == {seeded["001"].pk}
    assert index_sync.check_index().healthy


def test_check_index_repair_rebuilds_a_deleted_index(seeded, capsys, settings):
    shutil.rmtree(index_directory(settings))
    with pytest.raises(CommandError):
        call_command("check_index")
    assert "missing" in capsys.readouterr().out
    call_command("check_index", "--repair", verbosity=0)
    assert len(found()) == 5


def test_check_index_repair_rebuilds_a_corrupted_index(seeded, settings):
    for path in index_directory(settings).glob("gen-*/*"):
        path.write_bytes(b"garbage")
    with pytest.raises(engine.IndexUnavailable):
        found()
    call_command("check_index", "--repair", verbosity=0)
    assert len(found()) == 5


def test_rebuild_catches_up_with_changes_made_while_it_ran(
    seeded, monkeypatch, django_capture_on_commit_callbacks
):
    """A change committed mid-rebuild is in the new index; searches answer throughout."""
    real_documents = index_sync.iter_public_documents
    answers = []

    def documents_with_a_change_midway():
        for number, document in enumerate(real_documents()):
            if number == 2:
                answers.append(len(found()))  # the old index answers during the rebuild
                with django_capture_on_commit_callbacks(execute=True):
                    Article.objects.get(pk=seeded["000"].pk).save()
                    article = Article.objects.get(pk=seeded["000"].pk)
                    article.title = "Renamed during rebuild"
                    article.save()
            yield document

    monkeypatch.setattr(index_sync, "iter_public_documents", documents_with_a_change_midway)
    call_command("rebuild_index", verbosity=0, procs=1)
    assert answers == [5]
    assert found("renamed") == {seeded["000"].pk}
    assert index_sync.check_index().healthy


def test_rebuild_index_says_how_many_it_indexed_and_nothing_at_verbosity_0(seeded, capfd):
    call_command("rebuild_index", verbosity=0, procs=1)
    assert capfd.readouterr() == ("", "")  # no line, no progress bar, no log
    call_command("rebuild_index", verbosity=1, procs=1)
    assert "Rebuilt the search index: 5 articles." in capfd.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_concurrent_writer_processes_lose_no_update(tmp_path, settings):
    """Two processes save articles at once (an import and an editor): every change indexed."""
    call_command("load_seeds", verbosity=0)
    index_sync.rebuild_index()
    ids = list(Article.objects.values_list("pk", flat=True))
    database = settings.DATABASES["default"]["NAME"]
    script = (
        "import django, sys; django.setup();"
        "from search.models import Article;"
        "pk, word = int(sys.argv[1]), sys.argv[2]\n"
        "for n in range(5):\n"
        "    a = Article.objects.get(pk=pk); a.body += f' {word}{n}'; a.save()\n"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "NEWSROOM_INDEX_DIR": settings.NEWSROOM["INDEX_DIR"],
        "PATH": "/usr/bin:/bin",
    }
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(pk), f"conc{i}x"], env=env)
        for i, pk in enumerate(ids[:3])
    ]
    assert [p.wait(120) for p in processes] == [0, 0, 0]
    # A writer that waited past the lock timeout left its change queued, durably: the next
    # writer applies it. Nothing may be lost either way.
    index_sync.process_pending()
    for i, pk in enumerate(ids[:3]):
        assert found(f"conc{i}x4") == {pk}
    assert PendingIndexChange.objects.count() == 0


def test_threads_saving_at_once_all_reach_the_index(seeded, django_capture_on_commit_callbacks):
    errors = []

    def hold_lock_briefly():
        try:
            with engine.open_writer(timeout=5):
                threading.Event().wait(0.3)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    holder = threading.Thread(target=hold_lock_briefly)
    holder.start()
    with django_capture_on_commit_callbacks(execute=True):
        article = seeded["001"]
        article.title = "Waited for the lock"
        article.save()
    holder.join()
    assert errors == []
    assert found("waited") == {seeded["001"].pk}


def test_the_import_worker_waits_for_a_full_batch_then_the_rest_is_applied(seeded):
    titles = {"002": "Walrus summit", "003": "Walrus talks"}
    for name, title in titles.items():
        # update(): no signals, so the change is queued by hand as the import queues it.
        Article.objects.filter(pk=seeded[name].pk).update(title=title)
    index_sync.enqueue([seeded[name].pk for name in titles])

    assert index_sync.process_pending(min_batch=3) == 0  # a worker asking for full batches
    assert found("walrus") == set()
    assert PendingIndexChange.objects.count() == 2

    assert index_sync.process_pending() == 2  # what the import's last flush does
    assert found("walrus") == {seeded["002"].pk, seeded["003"].pk}
    assert PendingIndexChange.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_import_worker_process_applies_what_is_queued_once_its_input_closes():
    """``manage.py index_worker`` as an import starts it: a real child process."""
    call_command("load_seeds", verbosity=0)
    index_sync.rebuild_index()
    ids = list(Article.objects.values_list("pk", flat=True))[:2]
    Article.objects.filter(pk__in=ids).update(title="Narwhal summit")
    PendingIndexChange.objects.bulk_create(PendingIndexChange(article_id=pk) for pk in ids)
    worker = index_sync.BackgroundIndexer()
    worker.poll(index_sync.QUEUE_BATCH)  # started as an import starts it
    assert worker.child is not None
    worker.finish()  # fewer than a full batch: applied only once the import is over
    assert worker.child.returncode == 0
    assert found("narwhal") == set(ids)
    assert PendingIndexChange.objects.count() == 0


def test_articles_deleted_or_hidden_during_a_rebuild_are_not_in_the_new_index(
    seeded, monkeypatch, django_capture_on_commit_callbacks
):
    real_documents = index_sync.iter_public_documents
    deleted, hidden = seeded["000"].pk, seeded["001"].pk

    def documents_with_changes_at_the_end():
        yield from real_documents()
        # After every document was read: the old index gets these changes, the new one not.
        with django_capture_on_commit_callbacks(execute=True):
            Article.objects.get(pk=deleted).delete()
            article = Article.objects.get(pk=hidden)
            article.status = Article.Status.HIDDEN
            article.save()
        assert PendingIndexChange.objects.count() == 0  # applied to the old index already

    monkeypatch.setattr(index_sync, "iter_public_documents", documents_with_changes_at_the_end)
    call_command("rebuild_index", verbosity=0, procs=1)
    monkeypatch.undo()
    everything = engine.search(SearchQuery(per_page=100))
    remaining = {article.pk for article in seeded.values()} - {deleted, hidden}
    assert {hit.id for hit in everything.hits} == remaining
    assert everything.total == 3 == len(everything.hits)
    assert index_sync.check_index().healthy


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_binds_no_variable_per_article():
    """An archive of a million articles rebuilds on SQLite, which binds at most 250,000
    variables a statement (Debian's build): here at most 3, for the seeds' 5 articles."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's limit of bound variables")
    call_command("load_seeds", verbosity=0)
    # saved an hour ago, so the rebuild's catch-up has none of them to write again
    Article.objects.update(updated=timezone.now() - datetime.timedelta(hours=1))
    connection.close()  # a fresh connection: no statement prepared under the default limit
    connection.ensure_connection()
    connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 3)
    try:
        call_command("rebuild_index", verbosity=0, procs=1)
    finally:
        connection.close()  # the next test's connection has the default limit
    assert len(found()) == 5


def test_a_rebuilds_catch_up_reads_indexes_of_the_articles_table_never_its_rows(seeded):
    """The catch-up asks which articles were saved since the rebuild began and which are
    public now: at 1,000,000 articles the table is 7.5 GB, so SQLite's plan for each names
    an index that answers it alone (updated, status), with no table scan and no sort."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plans")
    with CaptureQueriesContext(connection) as captured:
        index_sync.rebuild_index()
    ids_only = 'SELECT "search_article"."id" AS "pk" FROM "search_article" WHERE'
    catch_up = [query["sql"] for query in captured if query["sql"].startswith(ids_only)]
    plans = {}
    with connection.cursor() as cursor:
        for sql in catch_up:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plans[sql] = " / ".join(row[-1] for row in cursor.fetchall())
    assert len(plans) == 2, plans
    for sql, plan in plans.items():
        assert plan.startswith("SEARCH search_article USING COVERING INDEX"), (sql, plan)
        assert "TEMP B-TREE" not in plan, (sql, plan)
    saved_since = [plan for sql, plan in plans.items() if '"updated" >=' in sql]
    assert saved_since == [
        "SEARCH search_article USING COVERING INDEX search_article_updated (updated>?)"
    ]


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_killed_with_sigkill_leaves_no_process_and_the_next_one_cleans_up(settings):
    maker = corpus.ArticleMaker(corpus.Vocabulary(), np.random.default_rng(3))
    Article.objects.bulk_create(
        Article(
            title=made["title"],
            body="\n\n".join(made["paragraphs"]) * 3,
            raw="",
            content_hash=str(n),
        )
        for n, made in enumerate(maker.article(n) for n in range(1500))
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{settings.DATABASES['default']['NAME']}",
        "NEWSROOM_INDEX_DIR": settings.NEWSROOM["INDEX_DIR"],
        "PATH": "/usr/bin:/bin",
    }
    rebuild = subprocess.Popen(
        [sys.executable, "manage.py", "rebuild_index", "--procs", "2", "--verbosity", "0"],
        env=env,
        cwd=settings.BASE_DIR,
    )
    index_dir = index_directory(settings)
    writers: list[psutil.Process] = []
    for _ in range(1200):  # up to a minute for both writer processes to start
        writers = psutil.Process(rebuild.pid).children(recursive=True)
        if len(writers) >= 2 and list(index_dir.glob("gen-*.building")):
            break
        assert rebuild.poll() is None, "the rebuild ended before it could be killed"
        time.sleep(0.05)
    assert len(writers) >= 2
    rebuild.send_signal(signal.SIGKILL)
    rebuild.wait(10)
    gone, alive = psutil.wait_procs(writers, timeout=15)
    assert alive == []
    assert list(index_dir.glob("gen-*.building"))  # left behind by the killed rebuild
    engine.rebuild([IndexDocument(1, "After", "the next rebuild", None, (), ())])
    assert list(index_dir.glob("gen-*.building")) == []
    assert engine.search(SearchQuery()).total == 1


def test_a_rebuild_reads_each_article_with_its_own_tags_chunk_by_chunk(seeded):
    """Chunks read their tags by id range: a hidden article inside a range lends none."""
    hidden = Article.objects.order_by("pk")[1]  # inside the first chunk's range: 1st to 3rd
    hidden.ministers.add(Minister.objects.get(slug="narendra-modi"))
    hidden.status = Article.Status.HIDDEN
    hidden.save()
    one_by_one = index_sync.documents_of(list(index_sync.public_articles().order_by("pk")))
    assert list(index_sync.iter_public_documents(chunk_size=2)) == one_by_one
    assert hidden.pk not in {document.id for document in one_by_one}
    assert any(document.ministers for document in one_by_one)
