"""Services that keep near-duplicate clusters: place imported articles, split and join stories.

An article's signature and its LSH band keys are stored (``NearDuplicateSignature``,
``NearDuplicateBand``), so a new article finds its candidates with one indexed lookup over the
whole archive, never by comparing pairs. The detector places an article once, when it first
has a signature: into the story of its most similar version (``near_duplicates``), or alone.
It never moves an article already placed, nor one an editor placed (``story_cluster_by_editor``),
and never joins anything to an article an editor split out: an editor's split or join stands
through every later import (a new copy may still join a story an editor joined).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import numpy as np
from django.db import connections, router, transaction
from django.db.models import Q

from search.models import Article, NearDuplicateBand, NearDuplicateSignature
from search.models.bulk_rows import insert_values
from search.operations import index_sync
from search.stories import near_duplicates

LOOKUP_CHUNK = 900  # parameters a statement, under SQLite's limit with room to spare


def chunks(values: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def place_articles(*, bodies: Mapping[int, str]) -> set[int]:
    """Store the signatures of these articles' bodies (article id -> body) and place those
    never placed before; returns the ids of the articles whose story changed (their index
    entries are queued for refresh)."""
    return place_signed(
        signatures={pk: near_duplicates.signature(body) for pk, body in bodies.items()}
    )


def place_signed(*, signatures: Mapping[int, near_duplicates.Signature]) -> set[int]:
    """``place_articles`` with the bodies' signatures made already (an import makes them in
    its worker processes, beside the drafts)."""
    if not signatures:
        return set()
    ids = sorted(signatures)
    signed = {pk: signatures[pk] for pk in ids}  # a copy: place() adds the candidates' to it
    band_keys = {pk: near_duplicates.index_keys(signature) for pk, signature in signed.items()}
    placed_before = set(
        NearDuplicateSignature.objects.filter(article_id__in=ids).values_list(
            "article_id", flat=True
        )
    )
    store_signatures(signed, band_keys)
    states = dict(Article.objects.filter(pk__in=ids).values_list("pk", "story_cluster_by_editor"))
    to_place = [pk for pk in ids if pk not in placed_before and not states.get(pk)]
    changed = place(to_place, signed, {pk: band_keys[pk] for pk in to_place})
    if changed:
        index_sync.enqueue(sorted(changed))
    return changed


def store_signatures(
    signatures: Mapping[int, near_duplicates.Signature], band_keys: Mapping[int, list[int]]
) -> None:
    ids = list(signatures)
    for chunk in chunks(ids):
        NearDuplicateSignature.objects.filter(article_id__in=chunk).delete()
        NearDuplicateBand.objects.filter(article_id__in=chunk).delete()
    insert_values(
        NearDuplicateSignature,
        ["article", "signature"],
        [(pk, signature.to_bytes()) for pk, signature in signatures.items()],
    )
    insert_values(
        NearDuplicateBand,
        ["article", "key"],
        [(pk, key) for pk, keys in band_keys.items() for key in keys],
    )


def candidates_of(keys: list[int]) -> dict[int, list[int]]:
    """band key -> the articles with that key. One plain statement a chunk: building the
    ORM's query and rows cost more than SQLite's index lookups."""
    found: dict[int, list[int]] = {}
    connection = connections[router.db_for_write(NearDuplicateBand)]  # the batch's own rows
    table, key_column, article_column = map(
        connection.ops.quote_name, (NearDuplicateBand._meta.db_table, "key", "article_id")
    )
    select = f"SELECT {key_column}, {article_column} FROM {table} WHERE {key_column} IN "
    with connection.cursor() as cursor:
        for chunk in chunks(sorted(set(keys))):
            cursor.execute(select + f"({', '.join(['%s'] * len(chunk))})", chunk)
            for key, article_id in cursor.fetchall():
                found.setdefault(key, []).append(article_id)
    return found


def candidates_sharing(keys: list[int], by_key: Mapping[int, list[int]], pk: int) -> np.ndarray:
    """The articles (sorted ids) sharing one of ``keys`` with article ``pk``, itself left out.
    A set: nearly every key is an article's own, and numpy's per-array cost over some
    eighty one-id arrays an article took longer than the lookups."""
    found: set[int] = set()
    for key in keys:
        found.update(by_key.get(key, ()))
    found.discard(pk)
    return np.array(sorted(found), dtype=np.int64)


NO_IDS = np.empty(0, dtype=np.int64)


SENT_COLUMNS = ("pk", "title", "published", "source_url", "source_path")


def sent_of(article_ids: list[int]) -> dict[int, near_duplicates.Sent]:
    """What each article's headline, date and source say (the source: the URL's site, or
    the file's folder)."""
    sent = {}
    for chunk in chunks(article_ids):
        for pk, *row in Article.objects.filter(pk__in=chunk).values_list(*SENT_COLUMNS):
            sent[pk] = sent_from(*row)
    return sent


def sent_from(title: str, published, url: str, path: str) -> near_duplicates.Sent:
    source = urlsplit(url).netloc if url else str(PurePosixPath(path).parent)
    return near_duplicates.Sent(title, published, source)


def corrected_originals(article_ids: list[int]) -> dict[int, np.ndarray]:
    """For each of these articles tagged as a correction (or a repeat): the articles it may
    correct (``near_duplicates.may_be_corrected_by``), found by source, date and headline
    rather than by index keys. Tagged articles are few, and each looks at a few days."""
    found: dict[int, np.ndarray] = {}
    window = timedelta(days=near_duplicates.CORRECTION_DAYS)
    for pk, tagged in sent_of(article_ids).items():
        if not tagged.marked_correction or tagged.published is None:
            continue
        nearby = Article.objects.filter(
            published__range=(tagged.published - window, tagged.published + window)
        ).exclude(pk=pk)
        originals = [
            other
            for other, *row in nearby.values_list(*SENT_COLUMNS)
            if near_duplicates.may_be_corrected_by(sent_from(*row), tagged)
        ]
        found[pk] = np.array(originals, dtype=np.int64)
    return found


def place(
    article_ids: list[int],
    signatures: dict[int, near_duplicates.Signature],
    band_keys: Mapping[int, list[int]],
) -> set[int]:
    """Each article, oldest id first, joins the story of its best version among the
    candidates its index keys find (the earlier articles of this batch included; for a tagged
    correction, also the articles it may correct: ``corrected_originals``), if it is
    a version of that story's first article too, or of most of its members: never through
    one member alone, which would chain a week of a template's reports into one story. A
    story an editor joined is the editor's word: a version of any member joins it.

    Candidate sets are numpy arrays and each article is compared with all of its candidates
    at once (``SignatureTable``): a story with thousands of versions shares every band."""
    by_key = candidates_of([key for keys in band_keys.values() for key in keys])
    # A tagged correction may share no key with its original: found by headline and date.
    wanted = {pk: candidates_sharing(keys, by_key, pk) for pk, keys in band_keys.items()}
    for pk, originals in corrected_originals(list(band_keys)).items():
        wanted[pk] = np.union1d(wanted[pk], originals)
    involved = set(np.unique(np.concatenate([*wanted.values(), NO_IDS])).tolist())
    story_of: dict[int, int | None] = {}
    editor_alone: set[int] = set()  # an editor split them out: nothing joins them
    editors_stories: set[int] = set()
    for chunk in chunks(sorted(involved | set(wanted))):
        for pk, story, by_editor in Article.objects.filter(pk__in=chunk).values_list(
            "pk", "story_cluster", "story_cluster_by_editor"
        ):
            story_of[pk] = story
            if by_editor and story is None:
                editor_alone.add(pk)
    members: dict[int, set[int]] = {}
    stories = sorted({story for story in story_of.values() if story})
    for chunk in chunks(stories):
        for pk, story, by_editor in Article.objects.filter(story_cluster__in=chunk).values_list(
            "pk", "story_cluster", "story_cluster_by_editor"
        ):
            story_of[pk] = story
            members.setdefault(story, set()).add(pk)
            if by_editor:
                editors_stories.add(story)
    load_signatures(signatures, sorted(set(story_of) - set(signatures)))
    table = near_duplicates.SignatureTable.of(signatures)
    sent = sent_of(sorted(set(story_of) | set(signatures)))
    alone = np.array(sorted(editor_alone), dtype=np.int64)
    changed: dict[int, int] = {}
    for pk in article_ids:
        if story_of.get(pk):
            continue  # an earlier article of this batch found it as its version

        def pair(other: int, pk: int = pk) -> tuple[near_duplicates.Sent, near_duplicates.Sent]:
            return (sent.get(pk, NOT_KNOWN), sent.get(other, NOT_KNOWN))

        rows = table.rows_of(np.setdiff1d(wanted[pk], alone))
        versions = table.versions(signatures[pk], rows, pair)
        joined = joinable_story(
            signatures[pk],
            versions,
            story_of=story_of,
            members=members,
            editors_stories=editors_stories,
            table=table,
            pair=pair,
        )
        if joined is None:
            continue
        best, key = joined
        if not story_of.get(best):
            key = min(best, pk)  # two articles alone: the older one's id is the story's key
        for member in (best, pk):
            if story_of.get(member) != key:
                story_of[member] = changed[member] = key
                members.setdefault(key, set()).add(member)
    for story in set(changed.values()):
        Article.objects.filter(pk__in=[pk for pk, s in changed.items() if s == story]).update(
            story_cluster=story
        )
    return set(changed)


NOT_KNOWN = near_duplicates.Sent()


def load_signatures(signatures: dict[int, near_duplicates.Signature], ids: list[int]) -> None:
    for chunk in chunks(ids):
        for pk, data in NearDuplicateSignature.objects.filter(article_id__in=chunk).values_list(
            "article_id", "signature"
        ):
            signatures[pk] = near_duplicates.Signature.from_bytes(data)


def joinable_story(
    mine: near_duplicates.Signature,
    versions: list[int],
    *,
    story_of: Mapping[int, int | None],
    members: Mapping[int, set[int]],
    editors_stories: set[int],
    table: near_duplicates.SignatureTable,
    pair: Callable[[int], tuple[near_duplicates.Sent, near_duplicates.Sent]],
) -> tuple[int, int] | None:
    """(the version it joins through, the key of the story it joins) for the best of
    ``versions`` whose story holds together with the article; None when none does."""
    for best in versions:
        story = story_of.get(best)
        if not story:
            return best, best
        if story in editors_stories:
            return best, story
        first = table.rows_of(np.array([story], dtype=np.int64))
        if table.versions(mine, first, pair):
            return best, story  # a version of the story's first article
        group = table.rows_of(np.array(sorted(members.get(story, {best})), dtype=np.int64))
        if 2 * len(table.versions(mine, group, pair)) > len(group):
            return best, story
    return None


@transaction.atomic
def split_from_stories(*, article_ids: Iterable[int]) -> int:
    """Take each article out of its story, to stand alone for good; returns how many left one.

    The story keeps its key while its first article stays in it; a story left with one
    article has no other versions and is no cluster any more.
    """
    articles = list(Article.objects.filter(pk__in=list(article_ids)).select_for_update())
    touched: set[int] = set()
    split = 0
    for article in articles:
        story = article.story_cluster
        Article.objects.filter(pk=article.pk).update(
            story_cluster=None, story_cluster_by_editor=True
        )
        touched.add(article.pk)
        if story is None:
            continue
        split += 1
        rest = sorted(Article.objects.filter(story_cluster=story).values_list("pk", flat=True))
        new_key = None if len(rest) < 2 else (story if story in rest else rest[0])
        Article.objects.filter(pk__in=rest).update(story_cluster=new_key)
        touched.update(rest)
    index_sync.enqueue(sorted(touched))
    return split


@transaction.atomic
def join_stories(*, article_ids: Iterable[int]) -> int:
    """Make one story of these articles and every version of their stories (an editor's
    decision, which imports keep); returns the number of articles in it."""
    chosen = list(Article.objects.filter(pk__in=list(article_ids)).select_for_update())
    stories = {article.story for article in chosen}
    members = set(
        Article.objects.filter(Q(story_cluster__in=stories) | Q(pk__in=stories)).values_list(
            "pk", flat=True
        )
    ) | {article.pk for article in chosen}
    if len(members) < 2:
        return len(members)
    key = min(members)
    Article.objects.filter(pk__in=members).update(story_cluster=key, story_cluster_by_editor=True)
    index_sync.enqueue(sorted(members))
    return len(members)


def other_versions(article: Article) -> list[Article]:
    """The published versions of the article's story besides itself, oldest first."""
    if article.story_cluster is None:
        return []
    return list(
        Article.objects.filter(story_cluster=article.story_cluster, status="published")
        .exclude(pk=article.pk)
        .only("id", "title", "published", "source_url", "source_path")
        .order_by("published", "id")
    )


def versions_count(article_ids: Iterable[int]) -> dict[int, int]:
    """Published article id -> how many other published versions its story has (absent:
    none)."""
    stories = dict(
        Article.objects.filter(pk__in=list(article_ids), story_cluster__isnull=False).values_list(
            "pk", "story_cluster"
        )
    )
    return versions_in_stories(stories)


def versions_in_stories(stories: dict[int, int]) -> dict[int, int]:
    """``versions_count`` for articles whose stories are known (article id -> its
    ``story_cluster``, articles without one left out): one query fewer."""
    if not stories:
        return {}
    sizes: dict[int, int] = {}
    # The status is checked here, not in SQL: with both in the WHERE clause, SQLite (no
    # ANALYZE statistics) may read every published article by the status index instead of
    # the few rows of these stories (2.6 s at 1,000,000 articles).
    rows = Article.objects.filter(story_cluster__in=set(stories.values())).order_by()
    for story, status in rows.values_list("story_cluster", "status"):
        if status == "published":
            sizes[story] = sizes.get(story, 0) + 1
    return {pk: sizes[story] - 1 for pk, story in stories.items() if sizes.get(story, 0) > 1}


def place_archive(*, again: bool = False, batch_size: int = 500) -> int:
    """Place every article not placed yet (an archive from before clusters), in batches;
    with ``again``, forget the detector's placements first (an editor's stay). Returns how
    many articles were looked at."""
    if again:
        with transaction.atomic():
            detected = Article.objects.filter(story_cluster_by_editor=False)
            NearDuplicateSignature.objects.filter(article__in=detected).delete()
            NearDuplicateBand.objects.filter(article__in=detected).delete()
            changed = list(
                detected.filter(story_cluster__isnull=False).values_list("pk", flat=True)
            )
            detected.update(story_cluster=None)
            index_sync.enqueue(changed)
    signed = NearDuplicateSignature.objects.values("article_id")
    pending = list(
        Article.objects.exclude(pk__in=signed).order_by("pk").values_list("pk", flat=True)
    )
    for chunk in chunks(pending, batch_size):
        with transaction.atomic():
            place_articles(
                bodies=dict(Article.objects.filter(pk__in=chunk).values_list("pk", "body"))
            )
    return len(pending)
