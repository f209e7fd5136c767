"""What the triage parts of the pages show: an article's star, labels and notes, each hit's,
the labels list and a label's page, prepared as plain data so the templates stay dumb.

A note's text is escaped, then its web addresses become links (nofollow, noopener): the one
place note text becomes HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.html import urlize
from django.utils.safestring import SafeString

from search.desk import triage
from search.models import LABEL_COLOURS, Article, Label, Note


@dataclass(frozen=True)
class LabelChip:
    name: str
    slug: str
    colour: str  # a LABEL_COLOURS key: CSS class label-<key> (the CSP allows no inline style)


@dataclass(frozen=True)
class NoteView:
    note: Note
    html: SafeString
    editable: bool  # its author
    deletable: bool  # its author or an editor


@dataclass(frozen=True)
class ArticleTriage:
    article: Article
    may_write: bool
    starred: bool
    labels: list[LabelChip]
    notes: list[NoteView]
    label_names: list[str]  # every label, for the add form's suggestions
    colours: list[tuple[str, str]]


@dataclass(frozen=True)
class HitTriage:
    starred: bool
    labels: list[LabelChip]
    notes: int


def chip(label: Label) -> LabelChip:
    return LabelChip(label.name, label.slug, label.colour)


def note_html(text: str) -> SafeString:
    """Escaped text with its web addresses as links that pass no referrer or ranking."""
    html = urlize(text, trim_url_limit=60, nofollow=True, autoescape=True)
    return SafeString(html.replace('rel="nofollow"', 'rel="nofollow noopener noreferrer"'))


def article_triage(user, article: Article) -> ArticleTriage | None:
    """None when this reader may not see triage (or the article is hidden)."""
    if not triage.may_read(user) or not article.is_public:
        return None
    notes = triage.readable_notes(user).filter(article=article).select_related("author")
    is_author = (lambda note: note.author_id == user.pk) if user.is_authenticated else None
    return ArticleTriage(
        article=article,
        may_write=triage.may_write(user),
        starred=article.pk in triage.starred_ids(user, [article.pk]),
        labels=[
            chip(label) for label in triage.labels_by_article([article.pk]).get(article.pk, [])
        ],
        notes=[
            NoteView(
                note,
                note_html(note.text),
                editable=bool(is_author and is_author(note)),
                deletable=bool(is_author and (is_author(note) or user.is_staff)),
            )
            for note in notes
        ],
        label_names=list(Label.objects.values_list("name", flat=True)),
        colours=[(key, name) for key, name, _ in LABEL_COLOURS],
    )


def hits_with_triage(hits: list, user) -> list:
    """The page's hits, each with its star, labels and number of notes (``triage``)."""
    if not hits or not triage.may_read(user):
        return hits
    ids = [hit.article.pk for hit in hits]
    starred = triage.starred_ids(user, ids)
    labels = triage.labels_by_article(ids)
    notes = triage.note_counts(user, ids)
    return [
        replace(
            hit,
            triage=HitTriage(
                starred=hit.article.pk in starred,
                labels=[chip(label) for label in labels.get(hit.article.pk, [])],
                notes=notes.get(hit.article.pk, 0),
            ),
        )
        for hit in hits
    ]


@dataclass(frozen=True)
class LabelRow:
    chip: LabelChip
    articles: int


def label_rows() -> list[LabelRow]:
    counts = triage.article_counts_by_label()
    return [LabelRow(chip(label), counts.get(label.pk, 0)) for label in Label.objects.all()]
