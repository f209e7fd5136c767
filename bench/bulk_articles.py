"""Generated articles written straight into a data dir's database: archives of a size an
import would take hours to reach (issue 26 measures 1,000,000 articles through the rebuild).

    python bench/bulk_articles.py 1000000 bench/out/data-1000000 [--seed 6] [--procs 2]
    NEWSROOM_DATA_DIR=bench/out/data-1000000 SEARCH_ENGINE=tantivy \
        python manage.py rebuild_index

The database is migrated and the seeds loaded first (as bench/run.py does before an import),
then the articles are written as the importer stores a clean JSON lines record: the text of
bench/corpus.py's generator without its boilerplate (so the stored body is what cleaning
would leave, paragraphs apart by a blank line, and ``raw`` the record's text), a date from
the feed for most, from a dateline in the text for some, none for a few; ministers and topics
tagged by the importer's own extraction; source URL, site, content hash; published. A small
share of articles are later versions of an earlier one (the same text with one more
paragraph, another site) in the story near-duplicate clustering would give them.

Not written, as a benchmark of the rebuild path needs none of them: the near-duplicate
signatures, the sites' line evidence and the index queue (run ``rebuild_index`` after).
Articles are generated in worker processes, 1,000 a chunk seeded by its number, so the
archive is the same whatever ``--procs``; rows go in with one prepared statement a table,
10,000 articles a transaction.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import (  # noqa: E402
    FIRST_DAY,
    LAST_DAY,
    SAID,
    SOURCE_WEIGHTS,
    SOURCES,
    ArticleMaker,
    Vocabulary,
    pick,
)

CHUNK = 1_000
CHUNKS_A_TRANSACTION = 10
DATELINE_PLACES = ["TOKYO", "NEW DELHI", "SINGAPORE", "CANBERRA"]
SOURCE_CDF = np.cumsum(SOURCE_WEIGHTS)
# bench/corpus.py inserts binomial(3, 0.12) domain words into a sentence of ~18.5 words
DOMAIN_SHARE = 3 * 0.12 / 18.5
ARTICLE_COLUMNS = (
    "id",
    "title",
    "body",
    "raw",
    "raw_format",
    "removed",
    "cleaning_overrides",
    "source_metadata",
    "source_path",
    "source_url",
    "source_key",
    "content_hash",
    "original_sha256",
    "line_hashes",
    "published",
    "year",
    "status",
    "manual_fields",
    "created",
    "updated",
    "story_cluster",
    "story_cluster_by_editor",
)


def clean_article(maker: ArticleMaker, number: int) -> dict:
    """One article as cleaning leaves it: bench/corpus.py's words, names and keywords, no
    boilerplate; its true date, and whether the feed gave it (else the dateline in the text
    does, or nothing)."""
    rng = maker.rng
    host, _site = SOURCES[int(pick(rng, SOURCE_CDF))]
    day = FIRST_DAY + int((LAST_DAY - FIRST_DAY) * rng.random() ** 0.8)
    published = datetime.date.fromordinal(day)
    target_words = int(np.clip(rng.lognormal(np.log(450), 0.6), 60, 4000))
    paragraphs = paragraphs_of(maker, target_words, maker.mentions())
    date_mode = rng.random()
    if 0.85 <= date_mode < 0.95:
        place = DATELINE_PLACES[int(rng.integers(0, len(DATELINE_PLACES)))]
        paragraphs[0] = (
            f"{place}, {published:%B} {published.day}, {published.year} — " + (paragraphs[0])
        )
    return {
        "host": host,
        "title": maker.headline(),
        "paragraphs": paragraphs,
        "published": published if date_mode < 0.95 else None,
        "feed_dated": date_mode < 0.85,
        "url": f"https://{host}/{published:%Y/%m/%d}/story-{number:08d}",
    }


def paragraphs_of(maker: ArticleMaker, target_words: int, mentions: list[str]) -> list[str]:
    """bench/corpus.py's sentences (6-31 everyday words, a few domain words, now and then a
    "said"; one to four a paragraph) drawn for the whole article at once: its sentence by
    sentence draws would make the generator, not the writes, the cost of a large archive."""
    rng, vocabulary = maker.rng, maker.v
    lengths = rng.integers(6, 32, size=target_words // 6 + 1)
    lengths = lengths[: int(np.searchsorted(np.cumsum(lengths), target_words)) + 1]
    words = vocabulary.words_array[pick(rng, vocabulary.cdf, int(lengths.sum()))]
    domain = rng.random(len(words)) < DOMAIN_SHARE
    words[domain] = [vocabulary.domain[i] for i in pick(rng, vocabulary.domain_cdf, domain.sum())]
    ends = np.cumsum(lengths).tolist()
    drawn = words.tolist()
    sentences = [drawn[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]
    for sentence in sentences:
        if mentions and rng.random() < 0.5:
            sentence.insert(int(rng.integers(0, len(sentence) + 1)), mentions.pop())
        if rng.random() < 0.12:
            sentence.append(SAID[int(rng.integers(0, len(SAID)))])
    texts = []
    for sentence in sentences:
        text = " ".join(sentence)
        texts.append(text[:1].upper() + text[1:] + ("." if rng.random() < 0.95 else "?"))
    breaks = np.cumsum(rng.integers(1, 5, size=len(texts)))
    starts = [0, *(int(b) for b in breaks if b < len(texts))]
    ends = [*starts[1:], len(texts)]
    paragraphs = [" ".join(texts[a:b]) for a, b in zip(starts, ends, strict=True)]
    for mention in mentions:  # whatever names and keywords did not fit in a sentence
        at = int(rng.integers(0, len(paragraphs)))
        paragraphs[at] += f" {mention[:1].upper() + mention[1:]} was also on the agenda."
    return paragraphs


def later_version(maker: ArticleMaker, original: dict, number: int) -> dict:
    """Another site's copy of ``original`` with one more paragraph: a version of its story."""
    rng = maker.rng
    host, _site = SOURCES[int(pick(rng, SOURCE_CDF))]
    extra = paragraphs_of(maker, int(rng.integers(20, 60)), [])
    day = original["published"] or datetime.date(2020, 1, 1)
    return {
        **original,
        "host": host,
        "paragraphs": [*original["paragraphs"], *extra],
        "url": f"https://{host}/{day:%Y/%m/%d}/story-{number:08d}",
    }


# --- worker processes: a chunk of articles as rows ------------------------------------------

_worker: dict = {}


def start_worker(seed: int, rules, versions: float) -> None:
    _worker.update(vocabulary=Vocabulary(), seed=seed, rules=rules, versions=versions)


def chunk_rows(chunk: int) -> list[tuple[dict, int | None, set[str], set[str]]]:
    """Chunk ``chunk``'s articles: (article, the chunk-local story key or None, minister slugs,
    topic slugs). Story keys are positions in the chunk, of the story's first article."""
    from search.ingest.extraction import find_ministers, find_topics

    rng = np.random.default_rng([_worker["seed"], chunk])
    maker = ArticleMaker(_worker["vocabulary"], rng)
    rules = _worker["rules"]
    articles: list[dict] = []
    stories: list[int | None] = []
    for offset in range(CHUNK):
        number = chunk * CHUNK + offset
        if offset and rng.random() < _worker["versions"]:
            original = int(rng.integers(0, offset))
            first = stories[original] if stories[original] is not None else original
            stories[original] = first
            articles.append(later_version(maker, articles[original], number))
            stories.append(first)
        else:
            articles.append(clean_article(maker, number))
            stories.append(None)
    rows = []
    for article, story in zip(articles, stories, strict=True):
        body = "\n\n".join(article["paragraphs"])
        rows.append(
            (
                article,
                story,
                find_ministers(body, rules.ministers),
                find_topics(body, rules.topics),
            )
        )
    return rows


# --- the main process: rows into the database ------------------------------------------------


def setup_django(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["NEWSROOM_DATA_DIR"] = str(data_dir.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def article_row(article: dict, *, pk: int, story: int | None, now: str) -> tuple:
    raw = "\n".join(article["paragraphs"])
    published = article["published"]
    given = {"title": article["title"]}
    if article["feed_dated"]:
        given["published"] = published.isoformat()
    digest = hashlib.sha256(
        "\0".join([raw, article["title"], given.get("published", ""), article["url"]]).encode()
    ).hexdigest()
    return (
        pk,
        article["title"],
        "\n\n".join(article["paragraphs"]),
        raw,
        "body",
        "[]",
        "{}",
        json.dumps(given),
        "",
        article["url"],
        article["host"].removeprefix("www.").removeprefix("news."),
        digest,
        "",
        "[]",
        published.isoformat() if published else None,
        published.year if published else None,
        "published",
        "[]",
        now,
        now,
        story,
        False,
    )


def write_chunks(chunks, *, first_id: int, taxonomy, count: int, log) -> int:
    """Insert the chunks' rows, ``CHUNKS_A_TRANSACTION`` chunks a transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from search.models import Article
    from search.models.bulk_rows import insert_values

    now = str(timezone.now()).removesuffix("+00:00")  # as Django stores it on SQLite
    ministers_through, topics_through = Article.ministers.through, Article.topics.through
    written, started, pending = 0, time.perf_counter(), []

    def flush() -> None:
        articles, minister_rows, topic_rows = [], [], []
        for chunk_first, rows in pending:
            for offset, (article, story, minister_slugs, topic_slugs) in enumerate(rows):
                pk = chunk_first + offset
                articles.append(
                    article_row(
                        article,
                        pk=pk,
                        story=None if story is None else chunk_first + story,
                        now=now,
                    )
                )
                minister_rows += [(pk, taxonomy.minister_ids[s]) for s in sorted(minister_slugs)]
                topic_rows += [(pk, taxonomy.topic_ids[s]) for s in sorted(topic_slugs)]
        # Story keys: the story's first article carries its own id as well.
        firsts = {row[20] for row in articles if row[20] is not None}
        articles = [
            row if row[0] not in firsts else (*row[:20], row[0], row[21]) for row in articles
        ]
        with transaction.atomic():
            insert_values(Article, ARTICLE_COLUMNS, articles)
            insert_values(ministers_through, ("article_id", "minister_id"), minister_rows)
            insert_values(topics_through, ("article_id", "topic_id"), topic_rows)
        pending.clear()

    next_id = first_id
    for rows in chunks:
        pending.append((next_id, rows))
        next_id += len(rows)
        written += len(rows)
        if len(pending) == CHUNKS_A_TRANSACTION:
            flush()
            rate = written / (time.perf_counter() - started)
            log(f"{written:,} of {count:,} articles, {rate:,.0f}/s")
    if pending:
        flush()
    connection.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="articles to write (a multiple of 1,000)")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument(
        "--versions",
        type=float,
        default=0.02,
        help="share of articles that are a later version of an earlier one (default 0.02)",
    )
    arguments = parser.parse_args()
    if arguments.count % CHUNK:
        parser.error(f"count must be a multiple of {CHUNK:,}")
    setup_django(arguments.data_dir)
    from django.core.management import call_command
    from django.db import connections
    from django.db.models import Max

    from search.ingest.taxonomy import Taxonomy
    from search.models import Article

    call_command("migrate", verbosity=0)
    call_command("load_seeds", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    if Article.objects.count() > 100:
        sys.exit(f"{arguments.data_dir} already holds articles: give an empty data dir")
    taxonomy = Taxonomy.load()
    first_id = (Article.objects.aggregate(Max("id"))["id__max"] or 0) + 1
    connections.close_all()  # the worker processes are forked: none inherits a connection
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    with context.Pool(
        arguments.procs,
        initializer=start_worker,
        initargs=(arguments.seed, taxonomy.rules, arguments.versions),
    ) as pool:
        written = write_chunks(
            pool.imap(chunk_rows, range(arguments.count // CHUNK)),
            first_id=first_id,
            taxonomy=taxonomy,
            count=arguments.count,
            log=log,
        )
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "articles": written,
                "seconds": round(seconds, 1),
                "articles_per_s": round(written / seconds, 1),
                "load_average": os.getloadavg(),
            }
        )
    )


if __name__ == "__main__":
    main()
