"""Write side of curation in the admin: editors' decisions on articles, ministers and topics.

Every change reaches the search index through ``index_sync``: saves and tag changes through the
signals, ``queryset.update()`` through an explicit ``enqueue`` in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from search.curation.selectors import retag_changes
from search.ingest import cleaning
from search.ingest.importing import ImportReport, display_path, import_paths
from search.ingest.recleaning import reclean_article, reextract_article, set_if_changed
from search.ingest.sources import SourceProblem
from search.ingest.taxonomy import Taxonomy
from search.models import Article, FormerMinisterSlug, Minister, Topic
from search.operations import index_sync

CleaningDecision = Literal["keep", "drop", "forget"]


def article_return_to_automatic(*, article: Article, fields: Iterable[str]) -> None:
    """Hand fields back to extraction: forget they were set by hand and derive them again.

    Always from the raw input: re-extracting from the current text would find a hand-edited
    title again, as the first line of that text.
    """
    fields = set(fields)
    unknown = fields - set(Article.EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable fields: {', '.join(sorted(unknown))}")
    article.manual_fields = [name for name in article.manual_fields if name not in fields]
    reclean_article(article, taxonomy=Taxonomy.load())


def article_decide_cleaning(*, article: Article, line: str, decision: CleaningDecision) -> None:
    """Keep a line the cleaner removed, drop one it kept, or forget an earlier decision; then
    clean the article again. The decision is stored, so every later re-cleaning honours it."""
    line = cleaning.normalise_line(line)
    if not line:
        raise ValueError("an empty line cannot be kept or dropped")
    overrides = article.cleaning_overrides or {}
    keep = [kept for kept in overrides.get("keep", []) if kept != line]
    drop = [dropped for dropped in overrides.get("drop", []) if dropped != line]
    if decision == "keep":
        keep.append(line)
    elif decision == "drop":
        drop.append(line)
    elif decision != "forget":
        raise ValueError(f"unknown cleaning decision {decision!r}")
    article.cleaning_overrides = {"keep": keep, "drop": drop}
    reclean_article(article, taxonomy=Taxonomy.load())


def articles_reclean(*, articles: Iterable[Article]) -> int:
    """Clean again from the raw input and re-extract (fields set by hand are kept)."""
    return apply_to_articles(articles, reclean_article)


def articles_reextract(*, articles: Iterable[Article]) -> int:
    """Re-extract title, date and tags from the clean text (fields set by hand are kept)."""
    return apply_to_articles(articles, reextract_article)


def apply_to_articles(articles: Iterable[Article], process) -> int:
    """Run ``process(article, taxonomy=...)`` on each article, indexing in batches."""
    taxonomy = Taxonomy.load()
    count = 0
    with index_sync.batched_indexing():
        for article in articles:
            process(article, taxonomy=taxonomy)
            count += 1
    return count


def articles_set_status(*, article_ids: Iterable[int], status: str) -> int:
    """Publish or hide articles; returns how many changed. Hidden ones leave the index."""
    if status not in Article.Status.values:
        raise ValueError(f"unknown status {status!r}")
    with transaction.atomic():
        changing = list(
            Article.objects.filter(pk__in=list(article_ids))
            .exclude(status=status)
            .values_list("pk", flat=True)
        )
        # update() sends no signals: queue the index refresh in the same transaction.
        Article.objects.filter(pk__in=changing).update(status=status, updated=timezone.now())
        index_sync.enqueue(changing)
    return len(changing)


def articles_reindex(*, article_ids: Iterable[int]) -> int:
    """Write these articles to the index again, as the database has them."""
    ids = list(article_ids)
    with transaction.atomic():
        index_sync.enqueue(ids)
    return len(ids)


def articles_retag(*, taxonomy: Taxonomy | None = None) -> int:
    """Tag every article again with the current names and keyword rules (tags set by hand are
    kept); returns how many articles changed. The same changes ``retag_changes`` previews."""
    taxonomy = taxonomy or Taxonomy.load()
    changed = 0
    with index_sync.batched_indexing():
        for change in list(retag_changes(taxonomy=taxonomy)):
            with transaction.atomic():
                article = Article.objects.get(pk=change.article_id)
                set_if_changed(
                    article.ministers, {taxonomy.minister_ids[s] for s in change.ministers}
                )
                set_if_changed(article.topics, {taxonomy.topic_ids[s] for s in change.topics})
            changed += 1
    return changed


def minister_slug_changed(*, minister: Minister, old_slug: str) -> None:
    """After a minister's slug changed: links with the old slug keep working, and the index
    (which holds slugs) is refreshed for the minister's articles."""
    with transaction.atomic():
        FormerMinisterSlug.objects.filter(slug=minister.slug).delete()  # the live slug wins
        FormerMinisterSlug.objects.update_or_create(slug=old_slug, defaults={"minister": minister})
        index_sync.enqueue(minister.articles.values_list("pk", flat=True))


def topic_slug_changed(*, topic: Topic) -> None:
    """The index holds topic slugs: refresh the topic's articles."""
    with transaction.atomic():
        index_sync.enqueue(topic.articles.values_list("pk", flat=True))


def taxonomy_entries_delete(*, entries: Iterable[Minister | Topic]) -> None:
    """Delete ministers or topics. Untag their articles first: a cascade deletes the links
    without the m2m signals, and the index would keep the tags."""
    with transaction.atomic():
        for entry in entries:
            entry.articles.clear()
            entry.delete()


def ministers_merge(*, survivor: Minister, merged: Sequence[Minister]) -> int:
    """Fold ministers into ``survivor``: their names become its aliases, their articles its
    articles, their slugs its former slugs. Returns how many articles were re-linked."""
    merged = [minister for minister in merged if minister.pk != survivor.pk]
    if not merged:
        raise ValueError("choose at least one minister other than the one kept")
    with transaction.atomic():
        names = [*survivor.aliases]
        for minister in merged:
            names += [minister.name, *minister.aliases]
        survivor.aliases = [
            name for name in dict.fromkeys(names) if name.strip() and name != survivor.name
        ]
        survivor.save(update_fields=["aliases"])
        article_ids = set(Article.objects.filter(ministers__in=merged).values_list("pk", flat=True))
        # The m2m signals queue the index refresh of every article touched.
        survivor.articles.add(*article_ids)
        for minister in merged:
            minister.articles.clear()
            FormerMinisterSlug.objects.filter(minister=minister).update(minister=survivor)
            FormerMinisterSlug.objects.create(slug=minister.slug, minister=survivor)
            minister.delete()
    return len(article_ids)


def articles_upload(*, files: Sequence[UploadedFile]) -> ImportReport:
    """Save uploaded files under MEDIA_ROOT/uploads/<timestamp>/ and import them like the
    ``import_articles`` command does."""
    folder = Path(settings.MEDIA_ROOT) / "uploads" / timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    folder.mkdir(parents=True)
    paths = []
    for upload in files:
        path = unique_path(folder, get_valid_filename(Path(upload.name or "upload").name))
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        paths.append(path)
    with index_sync.batched_indexing():
        report = import_paths(paths)
    # Report files by the names the editor uploaded, not by where the server keeps them.
    prefixes = {f"{folder.resolve().as_posix()}/", f"{display_path(folder)}/"}
    report.failed = [
        SourceProblem(shorten_prefix(problem.name, prefixes), problem.reason)
        for problem in report.failed
    ]
    return report


def shorten_prefix(name: str, prefixes: Iterable[str]) -> str:
    for prefix in prefixes:
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def unique_path(folder: Path, name: str) -> Path:
    """``name`` in ``folder``, numbered when two uploads share a name."""
    path = folder / name
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
    return path
