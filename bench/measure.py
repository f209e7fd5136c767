"""One measurement step of the benchmark, run by bench/run.py in its own process.

    python bench/measure.py {app,whoosh,fts5,freshness} --rounds 5

Prints one JSON object on stdout. The data directory comes from NEWSROOM_DATA_DIR. Every
step warms up with one pass over the query mix, then times ``rounds`` passes (queries
interleaved, so a noisy neighbour hurts all of them alike).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from queries import MIX, BenchQuery  # noqa: E402

PER_PAGE = 10


def timed_rounds(run_one, rounds: int) -> dict:
    """Warm up once, then ``rounds`` interleaved passes; per-query samples and what came back
    in the last timed pass (the warm-up's answers can differ: a search cut short by its time
    budget on a cold cache answers with its newest page only)."""
    answers = {query.name: run_one(query) for query in MIX}
    samples: dict[str, list[float]] = {query.name: [] for query in MIX}
    for _ in range(rounds):
        for query in MIX:
            started = time.perf_counter()
            answers[query.name] = run_one(query)
            samples[query.name].append((time.perf_counter() - started) * 1000)
    return {"samples_ms": samples, "answers": answers}


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


# --- the app, through Django's test client ------------------------------------------------


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def measure_app(rounds: int) -> dict:
    django_setup()
    from django.test import Client

    from search.engine.contract import CUT_SHORT_NOTICE

    client = Client()
    result = {}

    def api(query: BenchQuery) -> dict:
        response = client.get("/api/search?" + urlencode(query.params()))
        if response.status_code != 200:
            return {"status": response.status_code, "error": response.content[:200].decode()}
        data = response.json()
        return {
            "total": data["total"],
            "hits": len(data["hits"]),
            "ids": [hit["id"] for hit in data["hits"]],
            "took_ms": data["took_ms"],
            "suggestion": data["suggestion"],
            # the time budget stopped it: some words were not searched (a large archive)
            "cut_short": CUT_SHORT_NOTICE in data["notices"],
        }

    def htmx(query: BenchQuery) -> dict:
        response = client.get("/?" + urlencode(query.params()), HTTP_HX_REQUEST="true")
        body = response.content.decode()
        return {"status": response.status_code, "bytes": len(body), "marks": body.count("<mark")}

    result["api"] = timed_rounds(api, rounds)
    probe = htmx(next(query for query in MIX if query.q == "security"))
    # The UI is another engineer's work in progress: measure the partial only once it renders
    # search results (a placeholder page would time nothing of interest).
    result["htmx_probe"] = probe
    if probe["status"] == 200 and probe["marks"] > 0:
        result["htmx"] = timed_rounds(htmx, rounds)
    result["rss_mb_after"] = rss_mb()
    return result


# --- raw Whoosh: the same index and schema, no Django --------------------------------------


def live_index_dir() -> Path:
    root = Path(os.environ["NEWSROOM_DATA_DIR"]) / "index"
    return root / (root / "CURRENT").read_text().strip()


def pairs_for_phrases(node, schema):
    """Phrases as plain Whoosh can run them on this schema (its text fields keep no
    positions): the word-pair term where both words are paired (every phrase of the mix,
    once a rebuild has learnt the corpus's common words), else all the words."""
    from whoosh import query as wq

    if isinstance(node, wq.Phrase):
        common = schema[f"{node.fieldname}_pairs"].common
        terms = [
            wq.Term(f"{node.fieldname}_pairs", f"{a} {b}")
            if a in common and b in common
            else wq.And([wq.Term(node.fieldname, a), wq.Term(node.fieldname, b)])
            for a, b in zip(node.words, node.words[1:], strict=False)
        ]
        return terms[0] if len(terms) == 1 else wq.And(terms)
    if node.is_leaf():
        return node
    return node.apply(lambda child: pairs_for_phrases(child, schema))


def measure_whoosh(rounds: int) -> dict:
    from whoosh import highlight, index, sorting
    from whoosh import query as wq
    from whoosh.qparser import AndGroup, MultifieldParser

    ix = index.open_dir(str(live_index_dir()))
    searcher = ix.searcher()
    parser = MultifieldParser(["title", "body"], ix.schema, group=AndGroup)
    facets = {
        "minister": sorting.FieldFacet("minister", allow_overlap=True),
        "topic": sorting.FieldFacet("topic", allow_overlap=True),
        "year": sorting.FieldFacet("year"),
    }

    def run(query: BenchQuery) -> dict:
        # As a typical Whoosh app does it: parse, filter with term queries, search a page
        # with groupedby facets (counts), highlight the page's hits from stored text.
        filters = [wq.Term("minister", m) for m in query.ministers]
        filters += [wq.Term("topic", t) for t in query.topics]
        filters += [wq.NumericRange("year", y, y) for y in query.years]
        words = pairs_for_phrases(parser.parse(query.q), ix.schema) if query.q else wq.Every()
        options = {"groupedby": facets, "maptype": sorting.Count}
        if filters:
            options["filter"] = wq.And(filters) if len(filters) > 1 else filters[0]
        if not query.q or query.sort == "newest":
            options["sortedby"] = sorting.FieldFacet("published", reverse=True)
        page = searcher.search_page(words, query.page, pagelen=PER_PAGE, **options)
        page.results.fragmenter = highlight.ContextFragmenter(maxchars=200, surround=60)
        page.results.formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        rows = []
        for hit in page:
            rows.append((hit["id"], hit.highlights("title"), hit.highlights("body", top=3)))
        counts = {name: page.results.groups(name) for name in facets}
        return {
            "total": page.total,
            "hits": len(rows),
            "ids": [int(r[0]) for r in rows],
            "facet_values": {name: len(c) for name, c in counts.items()},
        }

    result = timed_rounds(run, rounds)
    result["segments"] = len(ix._segments())
    result["rss_mb_after"] = rss_mb()
    return result


# --- SQLite FTS5 over the same articles ----------------------------------------------------


def build_fts5(app_db: Path, fts_db: Path) -> float:
    """FTS5 tables from the app's database (published articles); returns seconds spent."""
    started = time.perf_counter()
    if fts_db.exists():
        fts_db.unlink()
    db = sqlite3.connect(fts_db)
    db.executescript(
        f"""
        ATTACH DATABASE '{app_db}' AS app;
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE doc(id INTEGER PRIMARY KEY, year INT, published INT);
        CREATE TABLE doc_minister(doc INT, slug TEXT);
        CREATE TABLE doc_topic(doc INT, slug TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(
            title, body, tokenize='porter unicode61 remove_diacritics 2');
        INSERT INTO doc SELECT id, year, CAST(julianday(published) AS INT)
            FROM app.search_article WHERE status = 'published';
        INSERT INTO fts(rowid, title, body) SELECT id, title, body
            FROM app.search_article WHERE status = 'published';
        INSERT INTO doc_minister SELECT am.article_id, m.slug
            FROM app.search_article_ministers am
            JOIN app.search_minister m ON m.id = am.minister_id;
        INSERT INTO doc_topic SELECT at.article_id, t.slug
            FROM app.search_article_topics at JOIN app.search_topic t ON t.id = at.topic_id;
        CREATE INDEX doc_minister_slug ON doc_minister(slug, doc);
        CREATE INDEX doc_minister_doc ON doc_minister(doc);
        CREATE INDEX doc_topic_slug ON doc_topic(slug, doc);
        CREATE INDEX doc_topic_doc ON doc_topic(doc);
        CREATE INDEX doc_year ON doc(year, id);
        CREATE INDEX doc_published ON doc(published);
        INSERT INTO fts(fts) VALUES('optimize');
        """
    )
    db.commit()
    db.close()
    return time.perf_counter() - started


def measure_fts5(rounds: int) -> dict:
    data_dir = Path(os.environ["NEWSROOM_DATA_DIR"])
    fts_db = data_dir / "fts5.sqlite3"
    build_seconds = build_fts5(data_dir / "newsroom.sqlite3", fts_db)
    db = sqlite3.connect(fts_db)

    def filters(query: BenchQuery, *, years: bool = True) -> tuple[str, list]:
        where, args = [], []
        for slug in query.ministers:
            where.append("id IN (SELECT doc FROM doc_minister WHERE slug = ?)")
            args.append(slug)
        for slug in query.topics:
            where.append("id IN (SELECT doc FROM doc_topic WHERE slug = ?)")
            args.append(slug)
        if years and query.years:
            where.append(f"year IN ({','.join('?' * len(query.years))})")
            args += list(query.years)
        return " AND ".join(where), args

    def matched_ids(query: BenchQuery, *, years: bool = True) -> tuple[str, list]:
        """A subquery of the matching doc ids (words and filters)."""
        where, args = filters(query, years=years)
        sql = "SELECT id FROM doc WHERE 1"
        if query.fts:
            sql += " AND id IN (SELECT rowid FROM fts WHERE fts MATCH ?)"
            args = [query.fts, *args]
        if where:
            sql += " AND " + where
        return sql, args

    def run(query: BenchQuery) -> dict:
        offset = (query.page - 1) * PER_PAGE
        ids_sql, ids_args = matched_ids(query)
        total = db.execute(f"SELECT count(*) FROM ({ids_sql})", ids_args).fetchone()[0]
        if query.fts and query.sort != "newest":
            where, args = filters(query)
            rows = db.execute(
                "SELECT rowid, highlight(fts, 0, '<mark>', '</mark>'),"
                " snippet(fts, 1, '<mark>', '</mark>', ' … ', 24) FROM fts"
                " WHERE fts MATCH ?"
                + (f" AND rowid IN (SELECT id FROM doc WHERE {where})" if where else "")
                + " ORDER BY bm25(fts, 2.0, 1.0) LIMIT ? OFFSET ?",
                [query.fts, *args, PER_PAGE, offset],
            ).fetchall()
        else:
            page_ids = [
                row[0]
                for row in db.execute(
                    f"SELECT id FROM doc WHERE id IN ({ids_sql})"
                    " ORDER BY published DESC, id DESC LIMIT ? OFFSET ?",
                    [*ids_args, PER_PAGE, offset],
                )
            ]
            if query.fts:  # highlighted, in date order
                rows = db.execute(
                    "SELECT rowid, highlight(fts, 0, '<mark>', '</mark>'),"
                    " snippet(fts, 1, '<mark>', '</mark>', ' … ', 24) FROM fts"
                    f" WHERE fts MATCH ? AND rowid IN ({','.join('?' * len(page_ids)) or 0})",
                    [query.fts, *page_ids],
                ).fetchall()
            else:
                rows = db.execute(
                    f"SELECT rowid, title, substr(body, 1, 240) FROM fts"
                    f" WHERE rowid IN ({','.join('?' * len(page_ids)) or 0})",
                    page_ids,
                ).fetchall()
        facets = {}
        for name, table in (("minister", "doc_minister"), ("topic", "doc_topic")):
            facets[name] = db.execute(
                f"SELECT slug, count(*) FROM {table} WHERE doc IN ({ids_sql}) GROUP BY slug",
                ids_args,
            ).fetchall()
        year_sql, year_args = matched_ids(query, years=False)
        facets["year"] = db.execute(
            f"SELECT year, count(*) FROM doc WHERE id IN ({year_sql}) GROUP BY year", year_args
        ).fetchall()
        return {
            "total": total,
            "hits": len(rows),
            "ids": [row[0] for row in rows],
            "facet_values": {name: len(values) for name, values in facets.items()},
        }

    result = timed_rounds(run, rounds)
    result["build_seconds"] = build_seconds
    result["size_mb"] = fts_db.stat().st_size / 2**20
    result["rss_mb_after"] = rss_mb()
    return result


# --- from a save to a search that finds it --------------------------------------------------


def measure_freshness(rounds: int) -> dict:
    django_setup()
    from django.test import Client

    from search.models import Article

    client = Client()
    client.get("/api/search?q=warmup")
    article = Article.objects.filter(status="published").order_by("pk").first()
    delays = []
    for attempt in range(rounds):
        word = f"zyxfresh{attempt}q{int(time.time())}"
        started = time.perf_counter()
        article.body += f"\n\nA paragraph about {word}."
        article.save()  # the index follows after commit (autocommit: right away)
        while True:
            if client.get(f"/api/search?q={word}").json()["total"]:
                break
            if time.perf_counter() - started > 30:
                raise RuntimeError("a saved article was not found within 30 s")
            time.sleep(0.005)
        delays.append((time.perf_counter() - started) * 1000)
    return {"delays_ms": delays, "median_ms": statistics.median(delays)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["app", "whoosh", "fts5", "freshness"])
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    measure = {
        "app": measure_app,
        "whoosh": measure_whoosh,
        "fts5": measure_fts5,
        "freshness": measure_freshness,
    }[arguments.step]
    print(json.dumps(measure(arguments.rounds)))


if __name__ == "__main__":
    main()
