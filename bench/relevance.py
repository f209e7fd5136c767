"""Ranking quality on judged collections: the app as typed, the app with OR, and a BM25 reference.

    .venv/bin/python bench/relevance.py                      # all three collections
    .venv/bin/python bench/relevance.py --collections cisi --tree 9cc4811   # another commit
    .venv/bin/python bench/relevance.py --title-weights 1 1.5 2 3           # tune the title
    .venv/bin/python bench/relevance.py --engine postgres                   # ts_rank

The collections (CISI, Cranfield, MEDLINE) are read from ../shared/corpora/ir-collections.
Each is written as JSON lines (``title``, ``body``, ``url`` https://ir.invalid/<name>/<id>) and
imported by ``manage.py import_articles`` into a fresh data dir, with the code of the tree
asked for (this checkout, or a commit exported with ``git archive``). A child process then runs
every query through the engine facade with the app's defaults (copies collapsed, relevance),
100 hits, and maps hits back to document ids by URL. "OR" runs the query's words joined by OR,
to tell matching from ranking. The BM25 reference (k1 1.2, b 0.75, Lucene's idf, the app's
analysis: its stop words and Porter stems) scores title and body as one text, the words ORed.
Relevance is binary (Cranfield's grades 1-4 all count; each query's -1, the paper it was
written from, does not). MAP is over 100 hits and all the judged relevant documents; queries
without judgments are skipped.
``--title-weights`` reruns the Whoosh app with ``scoring.FIELD_WEIGHTS["title"]`` set to each.
``--rank-all`` ranks every PostgreSQL match (``RANK_CANDIDATES`` unbounded): ``ts_rank`` alone,
without the newest-candidates cap that a query matching most of a collection meets. On
PostgreSQL, "bm25 in SQL" is a prototype (``BM25_SQL``, not in the app): BM25 over each
match's tsvector, each word's document frequency counted at query time.
``--most-of-first`` measures another rule for relaxed questions on Whoosh (any of the words,
those with most of them first: ``most_of_ranked_first``). The queries are reported whole and
in two parts: every third query (``held_out``) was left out when the app's rule was chosen.
``--examples COMMIT`` shows the top hits of a few ordinary searches on Reuters-21578 and the
seeds, at that commit and in this checkout.
Raw results go to bench/out/relevance.json; the figures we keep are in docs/relevance.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
COLLECTIONS_DIR = ROOT.parent / "shared" / "corpora" / "ir-collections"
PYTHON = sys.executable
HITS = 100
K1, B = 1.2, 0.75
FILES = {  # name: (documents, queries, judgments)
    "cisi": ("cisi/CISI.ALL", "cisi/CISI.QRY", "cisi/CISI.REL"),
    "cran": ("cran/cran.all.1400", "cran/cran.qry", "cran/cranqrel"),
    "med": ("med/MED.ALL", "med/MED.QRY", "med/MED.REL"),
}


def records(path: Path) -> list[dict[str, str]]:
    """The ``.I``-led records of a SMART-format file: {"I": id, "T": ..., "W": ...}."""
    found: list[dict[str, str]] = []
    field = None
    for line in path.read_text(encoding="latin-1").splitlines():
        marker = re.match(r"^\.([A-Z])\b ?(.*)$", line)
        if marker:
            field = marker.group(1)
            if field == "I":
                found.append({"I": marker.group(2).strip()})
                continue
            found[-1].setdefault(field, "")
            line = marker.group(2)
        if found and field:
            found[-1][field] = (found[-1].get(field, "") + "\n" + line.rstrip()).strip()
    return found


def read_collection(name: str) -> tuple[dict, list, dict]:
    """Documents {id: (title, body)}, queries [(query id, text)], judgments {query id: {ids}}."""
    documents_file, queries_file, judgments_file = (COLLECTIONS_DIR / f for f in FILES[name])
    documents = {r["I"]: (r.get("T", ""), r.get("W", "")) for r in records(documents_file)}
    queries = records(queries_file)
    if name == "cran":  # Cranfield's judgments number queries by position, not by .I
        queries = [(str(number), r["W"]) for number, r in enumerate(queries, start=1)]
    else:
        queries = [(r["I"], r["W"]) for r in queries]
    judged: dict[str, set[str]] = {}
    for line in judgments_file.read_text().splitlines():
        parts = line.split()
        if not parts:
            continue
        if name == "med":  # query 0 doc 1
            query, document, grade = parts[0], parts[2], 1
        else:  # query doc grade (CISI: 0 for every judged pair)
            query, document, grade = parts[0], parts[1], int(float(parts[2]))
        if name == "cran" and grade < 0:
            continue
        judged.setdefault(query, set()).add(document)
    queries = [(query, text) for query, text in queries if judged.get(query)]
    return documents, queries, judged


def or_query(text: str) -> str:
    """The query's words joined by OR (lowercased: an "AND" in the text is not an operator)."""
    return " OR ".join(re.findall(r"\w+", text.lower()))


# --- the metrics ----------------------------------------------------------------------------


def scores_of(ranking: list[str], relevant: set[str]) -> dict[str, float]:
    hits = [document in relevant for document in ranking[:HITS]]
    precisions = [sum(hits[: k + 1]) / (k + 1) for k, hit in enumerate(hits) if hit]
    ideal = sum(1 / math.log2(k + 2) for k in range(min(10, len(relevant))))
    gained = sum(1 / math.log2(k + 2) for k, hit in enumerate(hits[:10]) if hit)
    return {
        "ap": sum(precisions) / len(relevant),
        "ndcg10": gained / ideal,
        "p10": sum(hits[:10]) / 10,
        "empty": not ranking,
    }


def held_out(queries: list) -> set[str]:
    """Every third query (the 3rd, 6th, ...): left out when a rule is chosen, reported apart."""
    return {query for number, (query, _text) in enumerate(queries, start=1) if number % 3 == 0}


def summaries(rankings: dict[str, list[str]], judged: dict, kept_apart: set[str]) -> dict:
    """{"": every query, " tuned": the part rules are chosen on, " held-out": the rest}."""
    tuned = {query: found for query, found in rankings.items() if query not in kept_apart}
    apart = {query: found for query, found in rankings.items() if query in kept_apart}
    return {
        "": summary(rankings, judged),
        " tuned": summary(tuned, judged),
        " held-out": summary(apart, judged),
    }


def summary(rankings: dict[str, list[str]], judged: dict[str, set[str]]) -> dict:
    per_query = [scores_of(rankings[query], judged[query]) for query in rankings]
    count = len(per_query)
    return {
        "map100": round(sum(s["ap"] for s in per_query) / count, 4),
        "ndcg10": round(sum(s["ndcg10"] for s in per_query) / count, 4),
        "p10": round(sum(s["p10"] for s in per_query) / count, 4),
        "no_result": sum(s["empty"] for s in per_query),
        "queries": count,
    }


# --- the BM25 reference ---------------------------------------------------------------------


def bm25_rankings(documents: dict, queries: list) -> dict[str, list[str]]:
    sys.path.insert(0, str(ROOT))
    from search.engine.whoosh.analysis import analyse  # the app's stop words and stems

    counts = {key: Counter(w[0] for w in analyse(f"{t}\n{b}")) for key, (t, b) in documents.items()}
    lengths = {key: sum(c.values()) for key, c in counts.items()}
    average = sum(lengths.values()) / len(lengths)
    postings: dict[str, dict[str, int]] = {}
    for key, words in counts.items():
        for word, count in words.items():
            postings.setdefault(word, {})[key] = count
    size = len(documents)
    rankings = {}
    for query, text in queries:
        scores: Counter[str] = Counter()
        for word in {w[0] for w in analyse(text)}:
            found = postings.get(word, {})
            idf = math.log(1 + (size - len(found) + 0.5) / (len(found) + 0.5))
            for key, tf in found.items():
                norm = K1 * (1 - B + B * lengths[key] / average)
                scores[key] += idf * tf * (K1 + 1) / (tf + norm)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], int(item[0])))
        rankings[query] = [key for key, _score in ranked[:HITS]]
    return rankings


# A BM25 for the PostgreSQL engine's tsvectors, to measure whether one is worth building:
# tf is a lexeme's position count (title and body together), the length the tsvector's
# distinct lexemes, df one GIN count per query word.
BM25_SQL = """
WITH words AS (
    SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('public.newsroom_english', %(q)s))) AS word
), frequencies AS (
    SELECT word, (SELECT count(*) FROM search_engine_entry e
                  WHERE e.document @@ to_tsquery('simple', quote_literal(word))) AS df
    FROM words
), totals AS (
    SELECT count(*)::float AS n, avg(length(document)) AS average FROM search_engine_entry
)
SELECT e.article_id, sum(
    ln(1 + (totals.n - f.df + 0.5) / (f.df + 0.5)) * t.tf * (%(k1)s + 1)
    / (t.tf + %(k1)s * (1 - %(b)s + %(b)s * length(e.document) / totals.average))
) AS score
FROM search_engine_entry e CROSS JOIN totals
CROSS JOIN LATERAL (
    SELECT u.lexeme, coalesce(array_length(u.positions, 1), 1) AS tf FROM unnest(e.document) u
) t
JOIN frequencies f ON f.word = t.lexeme
WHERE e.document @@ (
    SELECT to_tsquery('simple', string_agg(quote_literal(word), ' | ')) FROM words
)
GROUP BY e.article_id ORDER BY score DESC, e.article_id LIMIT %(hits)s
"""


# --- the app --------------------------------------------------------------------------------


def write_jsonl(name: str, documents: dict, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for key, (title, body) in documents.items():
            record = {"title": " ".join(title.split()), "body": body}
            out.write(json.dumps({**record, "url": f"https://ir.invalid/{name}/{key}"}) + "\n")


def exported_tree(ref: str) -> Path:
    tree = OUT / f"tree-{ref}"
    if not (tree / "manage.py").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def imported(tree: Path, name: str, documents: dict, env: dict) -> None:
    """A fresh data dir holding the collection, imported by the app (its index built)."""
    data_dir = Path(env["NEWSROOM_DATA_DIR"])
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    corpus = data_dir / f"{name}.jsonl"
    write_jsonl(name, documents, corpus)
    manage = [PYTHON, str(tree / "manage.py")]
    quiet = {"env": env, "cwd": tree, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([*manage, "migrate", "-v0"], **quiet)
    subprocess.run([*manage, "import_articles", str(corpus), "-v0"], **quiet)


def app_rankings(
    tree: Path, queries: list, env: dict, title_weights: list, rank_all: bool, most_of_first: bool
):
    """{variant: {query: [document ids]}} from a child process running the app's search."""
    spec = {
        "tree": str(tree),
        "queries": queries,
        "title_weights": title_weights,
        "rank_all": rank_all,
        "most_of_first": most_of_first,
    }
    spec_file = Path(env["NEWSROOM_DATA_DIR"]) / "queries.json"
    spec_file.write_text(json.dumps(spec))
    result = subprocess.run(
        [PYTHON, __file__, "--child", str(spec_file)],
        env=env,
        cwd=tree,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def child(spec_file: Path) -> None:
    spec = json.loads(spec_file.read_text())
    sys.path.insert(0, spec["tree"])
    import django

    django.setup()
    from django.conf import settings

    from search import engine
    from search.models import Article
    from search.query import SearchQuery

    if "examples" in spec:
        answers = {}
        for q in spec["examples"]:
            results = engine.search(SearchQuery(q=q))
            shown = [hit.id for hit in results.hits[:EXAMPLE_HITS]]
            titles = dict(Article.objects.filter(pk__in=shown).values_list("pk", "title"))
            answers[q] = {
                "total": results.total,
                "minimum": results.relaxed.minimum if results.relaxed else None,
                "titles": [titles[pk] for pk in shown],
            }
        print(json.dumps(answers))
        return

    urls = dict(Article.objects.values_list("id", "source_url"))
    if spec.get("most_of_first"):
        most_of_ranked_first()
    if spec["rank_all"]:
        from search.engine.postgres import searching

        searching.RANK_CANDIDATES = 10**9

    def ranking(q: str) -> list[str]:
        results = engine.search(SearchQuery(q=q, per_page=HITS))
        return [urls[hit.id].rsplit("/", 1)[1] for hit in results.hits]

    def timed(rank, texts: list) -> dict[str, list[str]]:
        started = time.perf_counter()
        rankings = {query: rank(text) for query, text in texts}
        seconds[rank.__name__] = round((time.perf_counter() - started) / len(texts) * 1000, 1)
        return rankings

    def run_all() -> dict[str, dict[str, list[str]]]:
        return {
            "typed": timed(ranking, spec["queries"]),
            "or": timed(ranking, [(query, or_query(text)) for query, text in spec["queries"]]),
        }

    seconds: dict[str, float] = {}  # milliseconds a query, by ranking function

    answer = {"": run_all()}
    if settings.SEARCH_ENGINE == "postgres":
        from django.db import connection

        def bm25_sql(q: str) -> list[str]:
            with connection.cursor() as cursor:
                cursor.execute(BM25_SQL, {"q": q, "k1": K1, "b": B, "hits": HITS})
                return [urls[article_id].rsplit("/", 1)[1] for article_id, _ in cursor.fetchall()]

        or_texts = [(query, or_query(text)) for query, text in spec["queries"]]
        timed(ranking, or_texts)  # again, after the prototype's first reads warmed the cache
        answer[""]["bm25 in SQL"] = timed(bm25_sql, spec["queries"])
    answer["ms_per_query"] = seconds
    for weight in spec["title_weights"]:
        from search.engine.whoosh import scoring

        scoring.FIELD_WEIGHTS["title"] = weight
        answer[str(weight)] = run_all()
    print(json.dumps(answer))


def most_of_ranked_first() -> None:
    """The Whoosh engine answering a relaxed question with any of its words, those with most
    of them (``Relaxed.minimum`` > 1) ranked first: measured against the app's rule, not in it
    (PostgreSQL ranks only the newest candidates, which need not hold the first tier)."""
    import numpy as np

    from search import query_language as ql
    from search.engine.whoosh import searching
    from search.engine.whoosh.analysis import analyse
    from search.engine.whoosh.compiling import compile_query
    from search.engine.whoosh.matching import Matches

    def ranked_first(snapshot, scoring, parsed, wanted):
        relaxed = ql.relaxed(parsed, counts=lambda texts: [bool(analyse(t)) for t in texts])
        if relaxed is None:
            return None
        reader = scoring.searcher.reader()

        def found(step):
            compiled = compile_query(step.tree, reader=reader, max_expansions=1)
            return compiled, searching.matches(snapshot, scoring, compiled.query)

        any_word = relaxed.steps()[-1]
        compiled, matches = found(any_word)
        if relaxed.minimum > 1:
            first = found(relaxed)[1].mask
            matches = Matches(matches.mask, matches.scores + np.where(first, 1e6, 0.0))
        return compiled, matches, int((matches.mask & wanted).sum()), any_word

    searching.most_of_the_words = ranked_first


# Ordinary searches, to see that short ones stay as precise: on Reuters-21578 and the seeds.
EXAMPLES = [
    "oil prices",
    "maritime security",
    "coffee export quotas",
    "interest rates cut",
    "oil prices opec output",
    "crude oil prices fall as opec output rises",
    "what did the federal reserve do about interest rates",
    "how did brazil's coffee exports change (ico quotas)?",
    "Japan cooperation on maritime security and defence",
]
EXAMPLE_HITS = 5
REUTERS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"


def show_examples(before: str) -> None:
    """Top hits of ``EXAMPLES`` at commit ``before`` and in this checkout, on one archive of
    Reuters-21578 and the seeds imported by this checkout (the index is the same for both)."""
    data_dir = OUT / "relevance" / "examples"
    env = {
        **os.environ,
        "NEWSROOM_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "LOG_LEVEL": "WARNING",
        "SEARCH_ENGINE": "whoosh",
    }
    env.pop("DATABASE_URL", None)
    if not (data_dir / "imported").exists():
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        corpus = data_dir / "reuters21578.jsonl"
        corpus.write_bytes(gzip.decompress(REUTERS.read_bytes()))
        manage = [PYTHON, str(ROOT / "manage.py")]
        quiet = {"env": env, "cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
        subprocess.run([*manage, "migrate", "-v0"], **quiet)
        subprocess.run([*manage, "load_seeds", "-v0"], **quiet)
        subprocess.run([*manage, "import_articles", str(corpus), "-v0"], **quiet)
        (data_dir / "imported").touch()
    answers = {}
    for label, tree in ((before, exported_tree(before)), ("now", ROOT)):
        spec_file = data_dir / "examples.json"
        spec_file.write_text(json.dumps({"tree": str(tree), "examples": EXAMPLES}))
        child_run = [PYTHON, __file__, "--child", str(spec_file)]
        result = subprocess.run(
            child_run, env=env, cwd=tree, check=True, capture_output=True, text=True
        )
        answers[label] = json.loads(result.stdout)
    for q in EXAMPLES:
        print(f"\n{q!r}")
        for label, found in answers.items():
            one = found[q]
            most = f", at least {one['minimum']} of the words" if one["minimum"] else ""
            print(f"  {label}: {one['total']} found{most}")
            for title in one["titles"]:
                print(f"    {title[:90]}")


def postgres_cluster():
    sys.path.insert(0, str(ROOT))
    from tests.postgres import new_cluster

    return new_cluster()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collections", nargs="+", default=list(FILES), choices=list(FILES))
    parser.add_argument("--tree", help="a commit to measure instead of this checkout")
    parser.add_argument("--engine", default="whoosh", choices=["whoosh", "postgres"])
    parser.add_argument("--title-weights", nargs="*", type=float, default=[])
    parser.add_argument("--rank-all", action="store_true", help="PostgreSQL: rank every match")
    parser.add_argument("--most-of-first", action="store_true", help="Whoosh: a rule measured")
    parser.add_argument("--examples", metavar="COMMIT", help="top hits of ordinary searches")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    if args.examples:
        return show_examples(args.examples)
    tree = exported_tree(args.tree) if args.tree else ROOT
    label = f"{args.tree or current_commit()}-{args.engine}{'-rank-all' if args.rank_all else ''}"
    label += "-most-of-first" if args.most_of_first else ""
    cluster = postgres_cluster() if args.engine == "postgres" else None
    results = (
        json.loads((OUT / "relevance.json").read_text())
        if (OUT / "relevance.json").exists()
        else {}
    )
    try:
        for name in args.collections:
            started = time.perf_counter()
            documents, queries, judged = read_collection(name)
            kept_apart = held_out(queries)
            env = {
                **os.environ,
                "NEWSROOM_DATA_DIR": str(OUT / "relevance" / name),
                "DJANGO_SETTINGS_MODULE": "newsroom.settings",
                "LOG_LEVEL": "WARNING",
                "SEARCH_ENGINE": args.engine,
            }
            env.pop("NEWSROOM_INDEX_DIR", None)
            env.pop("DATABASE_URL", None)
            if cluster:
                database = f"relevance_{name}"
                with psycopg.connect(cluster.url("postgres"), autocommit=True) as connection:
                    connection.execute(f"DROP DATABASE IF EXISTS {database}")
                    connection.execute(f"CREATE DATABASE {database}")
                env["DATABASE_URL"] = cluster.url(database)
            imported(tree, name, documents, env)
            app = app_rankings(
                tree, queries, env, args.title_weights, args.rank_all, args.most_of_first
            )
            figures = {"documents": len(documents)}
            figures["ms_per_query"] = app.pop("ms_per_query")
            for weight, variants in app.items():
                suffix = f" title {weight}" if weight else ""
                for variant, rankings in variants.items():
                    for part, row in summaries(rankings, judged, kept_apart).items():
                        figures[f"app {variant}{suffix}{part}"] = row
            reference = bm25_rankings(documents, queries)
            for part, row in summaries(reference, judged, kept_apart).items():
                figures[f"bm25 reference{part}"] = row
            figures["seconds"] = round(time.perf_counter() - started, 1)
            results.setdefault(label, {})[name] = figures
            (OUT / "relevance.json").write_text(json.dumps(results, indent=1))
            print_table(label, name, figures)
    finally:
        if cluster:
            cluster.stop()


def current_commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True)
    return head.stdout.decode().strip() + "+"


def print_table(label: str, name: str, figures: dict) -> None:
    print(f"\n{name} ({figures['documents']} documents) with {label}, {figures['seconds']} s")
    print(f"ms a query: {figures['ms_per_query']}")
    print(f"{'':32} {'MAP@100':>8} {'nDCG@10':>8} {'P@10':>6} {'no result':>10}")
    for variant, row in figures.items():
        if isinstance(row, dict) and "map100" in row:
            print(
                f"{variant:32} {row['map100']:8.3f} {row['ndcg10']:8.3f} {row['p10']:6.3f}"
                f" {row['no_result']:>5} / {row['queries']}"
            )


if __name__ == "__main__":
    main()
