"""What only the PostgreSQL engine does: articles reach search in their own transaction, any
article length indexes, queries use the GIN index, upkeep finds and fixes differences."""

from __future__ import annotations

import datetime
import json
import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from search import engine
from search.engine.postgres.compiling import compile_query
from search.models import Article, Minister, PendingIndexChange
from search.operations import index_sync
from search.query import SearchQuery
from search.query_language import parse
from tests.postgres import use_postgres
from tests.tooling import skip_or_fail


@pytest.fixture
def on_postgres(request, settings):
    """PostgreSQL as the database and as the search engine."""
    use_postgres(request)
    settings.SEARCH_ENGINE = "postgres"


def found(q="", **filters):
    return [hit.id for hit in engine.search(SearchQuery(q=q, per_page=100, **filters)).hits]


def new_article(title, body):
    return Article.objects.create(
        title=title, body=body, raw=body, content_hash=title, published=datetime.date(2024, 5, 1)
    )


def test_an_article_is_searchable_in_its_own_transaction(on_postgres):
    minister = Minister.objects.create(name="Ada Lovelace", slug="ada")
    with transaction.atomic():
        article = new_article("Analytical engine", "Notes on the analytical engine.")
        assert found("analytical") == [article.pk]  # before the commit, no queue involved
        article.ministers.add(minister)
        assert found(ministers=("ada",)) == [article.pk]
    article.status = Article.Status.HIDDEN
    article.save()
    assert found("analytical") == []
    article.status = Article.Status.PUBLISHED
    article.save()
    article.ministers.remove(minister)
    assert found("analytical") == [article.pk] and found(ministers=("ada",)) == []
    article.delete()
    assert found("analytical") == []


def test_an_article_longer_than_a_tsvector_holds_is_indexed(on_postgres):
    # 2 MB of distinct words: far past 1 MB of tsvector and position 16,383.
    words = " ".join(f"w{number:07d}x" for number in range(200_000))
    article = new_article("Enormous report", f"Preamble zebrafish. {words}")
    assert len(article.body) > 2_000_000
    assert found("zebrafish") == [article.pk]
    assert found("enormous") == [article.pk]
    hit = engine.search(SearchQuery(q="zebrafish")).hits[0]
    assert "<mark>zebrafish</mark>" in hit.snippet


def test_queries_use_the_gin_index(on_postgres):
    new_article("Rail link", "High speed rail.")
    with connection.cursor() as cursor:
        compiled = compile_query(
            cursor, parse('rail OR "high speed" title:link').tree, max_expansions=50
        )
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT article_id FROM search_engine_entry WHERE document @@ %s::tsquery",
                [compiled.tsquery],
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
    # The GIN index, or the RUM index of positions (migration 0014): both index the column.
    assert "Seq Scan" not in plan
    assert re.search(r"Index Scan (on|using) search_engine_entry\w*_(document|positions)", plan)


def phrase_plan(compiled) -> str:
    """The plan of finding a phrase's matches under the engine's own settings for phrases."""
    from search.engine.postgres.searching import POSITIONS_FOR_PHRASES

    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute(f"SET LOCAL enable_seqscan = off; {POSITIONS_FOR_PHRASES}")
        cursor.execute(
            "EXPLAIN SELECT article_id FROM search_engine_entry WHERE document @@ %s::tsquery",
            [compiled.tsquery],
        )
        return "\n".join(row[0] for row in cursor.fetchall())


def test_phrases_are_checked_in_the_positions_index_once_rum_is_created(on_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')")
        if not cursor.fetchone()[0]:
            skip_or_fail("phrases' index needs RUM: apt-get install postgresql-15-rum")
    together = new_article("Port visit", "The people know the harbour well.")
    new_article("Port survey", "Know the people? The harbour is theirs.")
    new_article("Harbour notes", "People of the harbour.")
    with connection.cursor() as cursor:
        compiled = compile_query(cursor, parse('"people know"').tree, max_expansions=50)
    uses_positions = re.compile(r"Index Scan using search_engine_entry\w*_positions")
    # By default, GIN and a check of each candidate's positions.
    assert "_positions" not in phrase_plan(compiled)
    assert found('"people know"') == [together.pk]
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION rum")  # the operator's choice (migration 0014)
    try:
        index_sync.rebuild_index()  # makes the index when the extension is there
        assert uses_positions.search(phrase_plan(compiled))
        assert found('"people know"') == [together.pk]
        assert found('"people know" harbour') == [together.pk]
        assert found('"know people"') == []
        new_article("Quay notes", "What people know of quays.")  # written through RUM too
        assert len(found('"people know"')) == 2
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP EXTENSION rum CASCADE")  # and its index: the default again


def test_quotes_and_tsquery_syntax_in_a_query_are_just_text(
    on_postgres,
):
    article = new_article("O'Brien's visit", "A visit by O'Brien: talks & more | less.")
    assert article.pk in found("o'brien")
    for hostile in ["o'brien':*", "\\' | !", "'&'", "a:* & !b", "title:'x'", "<->"]:
        assert engine.search(SearchQuery(q=hostile)).total >= 0


@pytest.mark.parametrize("search_engine_name", ["postgres"], indirect=True)
def test_check_index_finds_and_repairs_differences(seeded):
    assert index_sync.check_index().healthy
    article = seeded["003"]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_engine_entry WHERE article_id = %s", [article.pk])
        cursor.execute(
            "UPDATE search_engine_entry SET title = 'stale' WHERE article_id <> %s", [article.pk]
        )
    report = index_sync.check_index()
    assert report.missing == [article.pk] and len(report.stale) == 4
    index_sync.repair_index(report)
    assert index_sync.check_index().healthy
    assert article.pk in found(article.title.split()[0])


def test_on_sqlite_the_engine_says_what_it_needs(db, settings):
    settings.SEARCH_ENGINE = "postgres"
    with pytest.raises(engine.IndexUnavailable, match="DATABASE_URL=postgres"):
        engine.search(SearchQuery(q="cyber"))


def test_words_of_a_new_article_are_offered_as_spellings(on_postgres):
    new_article("Numbat census", "Numbats counted on the island.")  # the trigger adds its words
    assert engine.search(SearchQuery(q="numbatz")).suggestion in ("numbat", "numbats")


def test_no_index_queue_runs_when_the_engine_keeps_itself_current(
    on_postgres, monkeypatch, tmp_path
):
    # Nothing may be queued, and no index worker started, even with a batch of one.
    monkeypatch.setattr(index_sync, "QUEUE_BATCH", 1)

    def no_worker(*args, **kwargs):
        raise AssertionError(f"an index worker was started: {args}")

    monkeypatch.setattr(index_sync.subprocess, "Popen", no_worker)
    lines = [
        {
            "title": f"Quokka survey {n}",
            "body": f"Quokkas counted, part {n}.",
            "url": f"https://example.org/{n}",
        }
        for n in range(3)
    ]
    (tmp_path / "quokkas.jsonl").write_text("\n".join(json.dumps(line) for line in lines))
    call_command("import_articles", str(tmp_path / "quokkas.jsonl"), verbosity=0)
    hidden, edited, tagged = Article.objects.order_by("pk")
    hidden.status = Article.Status.HIDDEN
    hidden.save()
    edited.title = "Wallaby survey"
    edited.save()
    tagged.ministers.add(Minister.objects.create(name="Ada Lovelace", slug="ada"))
    assert PendingIndexChange.objects.count() == 0
    assert sorted(found("quokka")) == [edited.pk, tagged.pk]
    assert found("wallaby") == [edited.pk] and found(ministers=("ada",)) == [tagged.pk]


def test_a_search_inside_a_transaction_leaves_its_settings_alone(on_postgres, settings):
    new_article("Analytical engine", "Notes on the analytical engine.")
    with transaction.atomic(), connection.cursor() as cursor:
        assert found("analytical")
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        settings.NEWSROOM = {**settings.NEWSROOM, "SEARCH_TIME_BUDGET": 0.001}
        engine.search(SearchQuery(q="analytical OR engine OR notes"))  # may be cut short
        cursor.execute("SELECT count(*) FROM search_article")  # the transaction goes on
        assert cursor.fetchone()[0] == 1


def test_a_search_whose_counts_are_cut_short_still_shows_its_newest_matches(
    on_postgres, settings, monkeypatch
):
    from search.engine.postgres import searching

    for day in (1, 2, 3):
        Article.objects.create(
            title=f"Quokka census {day}",
            body="The quokka population grew.",
            raw="quokka",
            content_hash=f"census {day}",
            published=datetime.date(2024, 5, day),
        )
    new_article("Wallaby news", "Nothing about the other marsupial.")

    def counting_too_long(cursor, *args, **kwargs):
        cursor.execute("SELECT pg_sleep(5)")  # past the budget: the server cancels it

    monkeypatch.setattr(searching, "count_facets", counting_too_long)
    settings.NEWSROOM = {**settings.NEWSROOM, "SEARCH_TIME_BUDGET": 1.0}
    results = engine.search(SearchQuery(q="quokka"))
    assert any("cut short" in notice for notice in results.notices)
    assert [hit.title_highlighted for hit in results.hits] == [
        "<mark>Quokka</mark> census 3",
        "<mark>Quokka</mark> census 2",
        "<mark>Quokka</mark> census 1",
    ]
    assert results.total == 3 and results.date_histogram is None


def test_a_hyphenated_word_finds_what_its_phrase_finds(on_postgres):
    hyphenated = new_article("Indo-Pacific talks", "Ministers met on state-of-the-art ports.")
    apart = new_article("Pacific talks", "Indo and Pacific are words; so is Indo Pacific.")
    assert found("Indo-Pacific") == [hyphenated.pk]
    assert found("indo-pacific") == [hyphenated.pk]
    assert found("title:Indo-Pacific") == [hyphenated.pk]
    assert found("body:Indo-Pacific") == []
    assert found("state-of-the-art") == [hyphenated.pk]
    assert sorted(found("Indo Pacific")) == sorted([hyphenated.pk, apart.pk])
    hit = engine.search(SearchQuery(q="Indo-Pacific")).hits[0]
    assert "<mark>" in hit.title_highlighted


def facet_counts(results) -> dict:
    return {name: {f.value: f.count for f in values} for name, values in results.facets.items()}


def test_facet_counts_name_their_tags_from_any_thread_and_after_edits(on_postgres, monkeypatch):
    """The counts come back as keys of tag arrays, named by ``tag_sets``: shared by the
    threads of a process, forgotten when full, and right when the row that named an array
    has been edited since."""
    from search.engine.postgres import tag_sets
    from search.models import Topic

    ministers = [Minister.objects.create(name=f"Minister {n}", slug=f"m{n}") for n in range(4)]
    topics = [Topic.objects.create(label=f"Topic {n}", slug=f"t{n}") for n in range(4)]
    for n in range(24):
        article = new_article(f"Harbour report {n}", f"Harbour report number {n}.")
        article.ministers.add(*ministers[: n % 4 + 1])
        article.topics.add(topics[n % 4], topics[(n // 4) % 4])
    queries = [SearchQuery(q="harbour"), SearchQuery(q="harbour", topics=("t1",))]
    queries += [SearchQuery(ministers=(minister.slug,)) for minister in ministers]
    expected = [facet_counts(engine.search(query)) for query in queries]
    assert expected[0]["minister"] == {"m0": 24, "m1": 18, "m2": 12, "m3": 6}
    assert sum(expected[0]["topic"].values()) == 24 + 18  # 6 articles have one topic twice

    monkeypatch.setattr(tag_sets.KNOWN, "most", 3)  # forgotten again and again meanwhile
    tag_sets.KNOWN.forget()
    failures, seen = [], []

    def search_repeatedly(offset):
        from django.db import connection as thread_connection

        try:
            for round_number in range(6):
                index = (offset + round_number) % len(queries)
                seen.append(facet_counts(engine.search(queries[index])) == expected[index])
        except Exception as error:  # reported below, with the thread's traceback lost
            failures.append(repr(error))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=search_repeatedly, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and len(seen) == 48 and all(seen)

    # A row named as an array's example no longer has that array: the array is found anew.
    tag_sets.KNOWN.forget()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT topic_key, topics FROM search_engine_entry WHERE topics = %s LIMIT 1",
            [["t0", "t1"]],
        )
        key, array = cursor.fetchone()
        other = Article.objects.exclude(topics__slug="t1").first().pk
        assert tag_sets.arrays(cursor, {("topic", key): other}) == {key: tuple(array)}


def browsing_answers(query) -> tuple:
    results = engine.search(query)
    return (
        results.total,
        results.copies,
        facet_counts(results),
        results.date_histogram,
        [hit.id for hit in results.hits],
    )


def test_browsing_counts_kept_by_triggers_equal_counting_the_rows(on_postgres, monkeypatch):
    """Browsing reads counts the entry's triggers keep (migration 0015); after every kind of
    write, concurrent ones, compaction and a rebuild, they say what counting the rows says."""
    from search.engine.postgres import browse_counts
    from search.models import Topic

    ministers = [Minister.objects.create(name=f"Minister {n}", slug=f"m{n}") for n in range(3)]
    topics = [Topic.objects.create(label=f"Topic {n}", slug=f"t{n}") for n in range(3)]

    def add_articles(first, count):
        made = []
        for n in range(first, first + count):
            published = None if n % 7 == 0 else datetime.date(2020 + n % 4, n % 12 + 1, 3)
            article = Article.objects.create(
                title=f"Report {n}",
                body=f"Report {n}.",
                raw="r",
                content_hash=f"h{n}",
                published=published,
            )
            article.ministers.add(*ministers[: n % 3 + 1])
            article.topics.add(topics[n % 3])
            made.append(article)
        return made

    articles = add_articles(0, 30)
    articles[1].ministers.clear()  # edited tags
    articles[2].topics.add(topics[2])
    articles[3].published = datetime.date(2019, 5, 5)  # another year
    articles[3].save()
    articles[4].status = Article.Status.HIDDEN  # gone from search
    articles[4].save()
    articles[5].delete()
    for copy in (articles[6], articles[8]):  # two copies of one story
        copy.story_cluster = 77
        copy.save()
    queries = [
        SearchQuery(),
        SearchQuery(years=(2021,)),
        SearchQuery(years=(2020, 2022)),
        SearchQuery(page=2, per_page=5),
    ]
    unfolded = [browsing_answers(query) for query in queries]
    with connection.cursor() as cursor:  # folding the rows of changes changes no count
        cursor.execute("SELECT count(*) FROM search_engine_count")
        rows_before = cursor.fetchone()[0]
        with transaction.atomic():
            cursor.execute("SELECT newsroom_search_compact_counts()")
        cursor.execute("SELECT count(*) FROM search_engine_count")
        assert cursor.fetchone()[0] < rows_before
    assert [browsing_answers(query) for query in queries] == unfolded

    failures = []

    all_inside = threading.Barrier(4, timeout=20)

    def import_concurrently(first):
        """One long transaction, like an import's batch, folding the counts after each
        article (the triggers do it for 2% of writes): all four are inside theirs, one
        holding the fold, before any goes on; none may wait for another or fail."""
        from django.db import connection as thread_connection

        try:
            with transaction.atomic(), thread_connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '200ms'")  # a wait shows as a failure
                for n in range(first, first + 10):
                    add_articles(n, 1)
                    cursor.execute("SELECT newsroom_search_compact_counts()")
                    if n == first:
                        all_inside.wait()
        except Exception as error:
            failures.append(repr(error))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=import_concurrently, args=(100 + 10 * n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []

    def kept_and_counted():
        kept = [browsing_answers(query) for query in queries]
        with monkeypatch.context() as patched:
            patched.setattr(browse_counts, "can_answer", lambda *args: False)
            counted = [browsing_answers(query) for query in queries]
        return kept, counted

    kept, counted = kept_and_counted()
    assert kept == counted
    assert kept[0][:2] == (67, 68)  # of 70 articles one hidden, one deleted; two copies
    assert kept[1][2]["year"][2021] == counted[0][2]["year"][2021]
    index_sync.rebuild_index()
    articles[10].ministers.add(ministers[2])  # written through the rebuilt table's triggers
    kept, counted = kept_and_counted()
    assert kept == counted and kept[0][2]["minister"]["m2"] == counted[0][2]["minister"]["m2"]
