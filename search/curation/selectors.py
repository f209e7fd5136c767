"""Read side of curation: what an editor's edit changed, what cleaning removed, what re-tagging
would change. Nothing here writes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from search.ingest import cleaning, extraction
from search.ingest.taxonomy import Taxonomy
from search.models import Article

# Article fields an editor edits in the admin that are relations, not columns.
RELATED_FIELDS = ("ministers", "topics")


def article_edited_fields(*, article_id: int, submitted: Mapping[str, object]) -> set[str]:
    """The editable fields whose submitted value differs from the one stored now.

    ``submitted`` is a form's cleaned data: model instances (or a queryset) for the relations.
    """
    stored = Article.objects.get(pk=article_id)
    edited = set()
    for name in Article.EDITABLE_FIELDS:
        if name not in submitted:
            continue
        if name in RELATED_FIELDS:
            wanted = {related.pk for related in submitted[name]}
            if wanted != set(getattr(stored, name).values_list("pk", flat=True)):
                edited.add(name)
        elif submitted[name] != getattr(stored, name):
            edited.add(name)
    return edited


@dataclass(frozen=True)
class InputLine:
    text: str
    removed_reason: str  # "" when the line is in the article


@dataclass(frozen=True)
class CleaningReview:
    input_lines: list[InputLine]  # the input's lines (txt) or text blocks (html), in order
    title: str
    paragraphs: list[str]  # the clean body
    kept_by_editor: list[str]
    dropped_by_editor: list[str]
    body_is_manual: bool  # re-cleaning leaves a hand-edited body alone


def article_cleaning_review(*, article: Article) -> CleaningReview:
    """The input beside the clean text, with what the cleaner removed and why."""
    removed = {
        cleaning.normalise_line(block["text"]): block["reason"] for block in article.removed or []
    }
    lines = cleaning.text_lines(article.raw, article.raw_format)
    input_lines = [InputLine(line, removed.pop(line, "")) for line in lines]
    # Removed paragraphs that are not page blocks as such (HTML split differently) go last.
    input_lines += [InputLine(text, reason) for text, reason in removed.items()]
    overrides = article.cleaning_overrides or {}
    return CleaningReview(
        input_lines=input_lines,
        title=article.title,
        paragraphs=[paragraph for paragraph in article.body.split("\n\n") if paragraph.strip()],
        kept_by_editor=list(overrides.get("keep", [])),
        dropped_by_editor=list(overrides.get("drop", [])),
        body_is_manual="body" in (article.manual_fields or []),
    )


@dataclass(frozen=True)
class RetagChange:
    """How re-tagging with the current names and keywords would change one article."""

    article_id: int
    title: str
    ministers: set[str]  # the slugs it would have
    topics: set[str]
    ministers_added: tuple[str, ...] = ()
    ministers_removed: tuple[str, ...] = ()
    topics_added: tuple[str, ...] = ()
    topics_removed: tuple[str, ...] = ()


def retag_changes(*, taxonomy: Taxonomy) -> Iterator[RetagChange]:
    """Every article whose tags the current gazetteer and topic rules would change.

    Tags set by hand (``manual_fields``) are kept, as imports and re-cleaning keep them;
    the text tagged is the same (title and clean body).
    """
    articles = (
        Article.objects.only("pk", "title", "body", "manual_fields")
        .prefetch_related("ministers", "topics")
        .order_by("pk")
    )
    for article in articles.iterator(chunk_size=500):
        manual = set(article.manual_fields or [])
        text = f"{article.title}\n\n{article.body}"
        has_ministers = {minister.slug for minister in article.ministers.all()}
        has_topics = {topic.slug for topic in article.topics.all()}
        ministers, topics = has_ministers, has_topics
        if "ministers" not in manual:
            ministers = extraction.find_ministers(text, taxonomy.ministers)
        if "topics" not in manual:
            topics = extraction.find_topics(text, taxonomy.topics)
        if ministers == has_ministers and topics == has_topics:
            continue
        yield RetagChange(
            article_id=article.pk,
            title=article.title,
            ministers=ministers,
            topics=topics,
            ministers_added=tuple(sorted(ministers - has_ministers)),
            ministers_removed=tuple(sorted(has_ministers - ministers)),
            topics_added=tuple(sorted(topics - has_topics)),
            topics_removed=tuple(sorted(has_topics - topics)),
        )
