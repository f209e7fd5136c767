"""Triage: stars (private to their user), labels (shared; any reader creates them, editors
rename, merge and delete them in the admin), notes (private or shared; the author edits, the
author or an editor deletes) and label actions on many articles, which can be undone.

Who sees what (``may_read`` / ``may_write``): a signed-in user sees their stars, every label
and the notes they may read (their own and the shared ones). An anonymous visitor writes
nothing, and sees labels and shared notes only on a public archive whose operator allows it
(``PUBLIC_TRIAGE``). Hidden articles take no part: only published articles are starred,
labelled or annotated here (editors' hidden articles stay in the admin), and every read
filters them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from search import selectors
from search.accounts.access import is_private
from search.accounts.allowances import (
    count_alone,
    seconds_until_allowed,
    try_again_in,
)
from search.conf import get_setting
from search.desk import alerts
from search.desk.saved_searches import search_query_from_string
from search.models import LABEL_COLOURS, Article, ArticleLabel, Label, LabelAction, Note, Star
from search.operations import index_sync
from search.query import SearchQuery
from search.text import strip_unsafe_characters

LABEL_NAME_MAX = 60
NOTE_TEXT_MAX = 10_000
NOTE_WINDOW = timedelta(hours=1)
# A label action on more articles than this runs in the background (``run_waiting_actions``).
BACKGROUND_FROM = 500
CHUNK = 200  # articles written per transaction while a large action runs


class TriageRefused(Exception):
    """A write that is not allowed or not valid: ``message`` says why, ``status`` how to answer."""

    def __init__(self, message: str, status: int = 400, retry_after_seconds: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after_seconds = retry_after_seconds


# Who may see and write


def may_read(user) -> bool:
    """Labels and shared notes: signed-in users; anonymous ones on a public archive whose
    operator allows it."""
    if user.is_authenticated:
        return True
    return not is_private() and bool(get_setting("PUBLIC_TRIAGE"))


def may_write(user) -> bool:
    return user.is_authenticated


def require_writer(user) -> None:
    if not may_write(user):
        raise TriageRefused("Sign in to star, label or annotate articles.", status=401)


def visible_articles() -> QuerySet[Article]:
    return Article.objects.filter(status=Article.Status.PUBLISHED)


def readable_notes(user) -> QuerySet[Note]:
    """Notes on published articles this user may read: their own and the shared ones."""
    notes = Note.objects.filter(article__status=Article.Status.PUBLISHED)
    if not may_read(user):
        return notes.none()
    if not user.is_authenticated:
        return notes.filter(shared=True)
    return notes.filter(Q(shared=True) | Q(author=user))


def for_reader(search_query: SearchQuery, user) -> SearchQuery:
    """The search as this user may run it: "Starred by me" and "With notes" become the ids to
    keep (``only_ids``: user ids are never indexed); a reader who may not see labels neither
    filters by them nor by stars and notes."""
    if not may_read(user):
        return replace(search_query, labels=(), starred=False, noted=False, only_ids=None)
    kept: set[int] | None = None
    if search_query.starred:
        kept = starred_ids(user)
    if search_query.noted:
        noted = noted_ids(user)
        kept = noted if kept is None else kept & noted
    return replace(search_query, only_ids=None if kept is None else frozenset(kept))


def without_hidden_facets(page: selectors.SearchPage, user) -> selectors.SearchPage:
    """The labels facet only for readers who may see labels."""
    if not may_read(user):
        page.facets.pop("label", None)
    return page


# Stars


def star_set(*, user, article: Article, starred: bool) -> bool:
    """Stars or unstars; returns whether the article is starred now."""
    require_writer(user)
    if starred:
        Star.objects.get_or_create(user=user, article=article)
    else:
        Star.objects.filter(user=user, article=article).delete()
    return starred


def starred_ids(user, article_ids: Iterable[int] | None = None) -> set[int]:
    if not user.is_authenticated:
        return set()
    stars = Star.objects.filter(user=user, article__status=Article.Status.PUBLISHED)
    if article_ids is not None:
        stars = stars.filter(article_id__in=list(article_ids))
    return set(stars.values_list("article_id", flat=True))


# Labels


def label_named(*, name: str, user, colour: str = "") -> Label:
    """The label of this name (in any case), created by ``user`` when there is none."""
    name = " ".join(strip_unsafe_characters(name).split())
    if not name:
        raise TriageRefused("A label needs a name.")
    if len(name) > LABEL_NAME_MAX:
        raise TriageRefused(f"A label's name is at most {LABEL_NAME_MAX} characters.")
    existing = Label.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    require_writer(user)
    colours = [key for key, _, _ in LABEL_COLOURS]
    if colour and colour not in colours:
        raise TriageRefused(f"A label's colour is one of {', '.join(colours)}.")
    colour = colour or colours[Label.objects.count() % len(colours)]
    base = slugify(name)[:70] or "label"
    for attempt in range(50):
        slug = base if attempt == 0 else f"{base}-{attempt + 1}"
        if Label.objects.filter(slug=slug).exists():
            continue
        try:
            with transaction.atomic():
                return Label.objects.create(name=name, slug=slug, colour=colour, created_by=user)
        except IntegrityError:
            existing = Label.objects.filter(name__iexact=name).first()
            if existing is not None:
                return existing  # made meanwhile by someone else
    raise TriageRefused("No free address for this label's name: choose another name.")


def label_add(*, user, article: Article, label: Label) -> bool:
    """True when the article did not have the label."""
    require_writer(user)
    return bool(add_labels(label=label, article_ids=[article.pk], user=user))


def label_remove(*, user, article: Article, label: Label) -> bool:
    require_writer(user)
    return bool(remove_labels(label=label, article_ids=[article.pk]))


def add_labels(*, label: Label, article_ids: list[int], user) -> list[int]:
    """Labels those of ``article_ids`` that are published and unlabelled; returns them."""
    with transaction.atomic():
        published = set(visible_articles().filter(pk__in=article_ids).values_list("pk", flat=True))
        have = set(
            ArticleLabel.objects.filter(label=label, article_id__in=published).values_list(
                "article_id", flat=True
            )
        )
        new = sorted(published - have)
        ArticleLabel.objects.bulk_create(
            [ArticleLabel(article_id=pk, label=label, added_by=user) for pk in new],
            ignore_conflicts=True,
        )
        reindex(new)
    return new


def remove_labels(*, label: Label, article_ids: list[int]) -> list[int]:
    with transaction.atomic():
        rows = ArticleLabel.objects.filter(label=label, article_id__in=article_ids)
        gone = sorted(rows.values_list("article_id", flat=True))
        rows.delete()
        reindex(gone)
    return gone


def reindex(article_ids: list[int]) -> None:
    """Labels are indexed: the articles are queued like an edit (searchable after the commit;
    PostgreSQL's triggers refresh them in this transaction), and marked changed so that a
    rebuild running meanwhile takes them again."""
    if article_ids:
        Article.objects.filter(pk__in=article_ids).update(updated=timezone.now())
        index_sync.enqueue(article_ids)


def labels_merge(*, into: Label, others: list[Label], user) -> Label:
    """Every article of ``others`` gets ``into``; ``others`` are deleted (an editor's merge)."""
    with transaction.atomic():
        for other in others:
            ids = list(
                ArticleLabel.objects.filter(label=other).values_list("article_id", flat=True)
            )
            add_labels(label=into, article_ids=ids, user=user)
            other.delete()
    return into


def labels_by_article(article_ids: Iterable[int]) -> dict[int, list[Label]]:
    """Each article's labels, by name (articles without labels left out)."""
    found: dict[int, list[Label]] = {}
    rows = ArticleLabel.objects.filter(article_id__in=list(article_ids)).select_related("label")
    for row in rows.order_by("label__name"):
        found.setdefault(row.article_id, []).append(row.label)
    return found


def article_counts_by_label() -> dict[int, int]:
    """Label id -> its published articles."""
    rows = ArticleLabel.objects.filter(article__status=Article.Status.PUBLISHED)
    return dict(rows.values("label_id").annotate(n=Count("id")).values_list("label_id", "n"))


def label_articles(label: Label) -> QuerySet[Article]:
    """A label's published articles, newest first."""
    return visible_articles().filter(labels=label).order_by("-published", "-id")


def note_counts(user, article_ids: Iterable[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for article_id in (
        readable_notes(user)
        .filter(article_id__in=list(article_ids))
        .values_list("article_id", flat=True)
    ):
        counts[article_id] = counts.get(article_id, 0) + 1
    return counts


def notes_by_article(user, article_ids: Iterable[int]) -> dict[int, list[str]]:
    """The notes this user may read on each article, oldest first, as one line of text each:
    "author, YYYY-MM-DD: text" (an export's notes)."""
    found: dict[int, list[str]] = {}
    notes = readable_notes(user).filter(article_id__in=list(article_ids)).select_related("author")
    for note in notes.order_by("created", "id"):
        line = f"{note.author.get_username()}, {note.created.date().isoformat()}: {note.text}"
        found.setdefault(note.article_id, []).append(line)
    return found


def noted_ids(user) -> set[int]:
    """Articles with a note this user may read (the "With notes" filter)."""
    return set(readable_notes(user).values_list("article_id", flat=True))


# Notes


def clean_note_text(text: str) -> str:
    text = strip_unsafe_characters(str(text)).strip()
    if not text:
        raise TriageRefused("A note needs some text.")
    if len(text) > NOTE_TEXT_MAX:
        raise TriageRefused(f"A note is at most {NOTE_TEXT_MAX:,} characters.")
    return text


def note_create(*, user, article: Article, text: str, shared: bool) -> Note:
    require_writer(user)
    text = clean_note_text(text)
    with transaction.atomic():
        require_note_allowance(user=user)
        return Note.objects.create(article=article, author=user, text=text, shared=bool(shared))


def require_note_allowance(*, user) -> None:
    limit = get_setting("NOTES_PER_USER_PER_HOUR")
    if limit <= 0:
        raise TriageRefused("Writing notes is switched off on this site.", status=429)
    count_alone(Note, str(user.pk))
    wait = seconds_until_allowed(Note.objects.filter(author=user), limit=limit, window=NOTE_WINDOW)
    if wait is not None:
        raise TriageRefused(
            f"You have written {limit} note{'s' if limit != 1 else ''} in the last hour, "
            "the most allowed. " + try_again_in(wait),
            status=429,
            retry_after_seconds=wait,
        )


def note_edit(*, user, note: Note, text: str, shared: bool | None = None) -> Note:
    if note.author_id != getattr(user, "pk", None):
        raise TriageRefused("Only its author edits a note.", status=403)
    note.text = clean_note_text(text)
    if shared is not None:
        note.shared = bool(shared)
    note.save()
    return note


def note_delete(*, user, note: Note) -> None:
    if note.author_id != getattr(user, "pk", None) and not user.is_staff:
        raise TriageRefused("Only its author or an editor deletes a note.", status=403)
    note.delete()


# Label actions on many articles


def label_action_start(
    *, user, label: Label, kind: str, article_ids: list[int] | None = None, query_string: str = ""
) -> LabelAction:
    """Adds or removes ``label`` on the picked articles, or on every match of a search.
    Up to BACKGROUND_FROM articles at once; more wait for the runner (``run_waiting_actions``)
    and the action's ``done`` / ``total`` tell its progress."""
    require_writer(user)
    if kind not in LabelAction.Kind.values:
        raise TriageRefused("A label action adds or removes.")
    if article_ids is None:
        article_ids = matching_ids(query_string, user)
    action = LabelAction.objects.create(
        user=user,
        label=label,
        kind=kind,
        query_string=query_string,
        requested_ids=sorted(set(article_ids)),
        total=len(set(article_ids)),
    )
    if action.total <= BACKGROUND_FROM:
        run_action(action)
    return action


def matching_ids(query_string: str, user) -> list[int]:
    """Every published match of a search as this user finds it (hidden ones never)."""
    return alerts.matching_ids(for_reader(search_query_from_string(query_string), user))


def run_action(action: LabelAction) -> None:
    action.status = LabelAction.Status.RUNNING
    action.save(update_fields=["status"])
    changed: list[int] = list(action.article_ids)
    ids = action.requested_ids
    for start in range(action.done, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        if action.kind == LabelAction.Kind.ADD:
            changed += add_labels(label=action.label, article_ids=chunk, user=action.user)
        else:
            changed += remove_labels(label=action.label, article_ids=chunk)
        action.article_ids = changed
        action.done = start + len(chunk)
        action.save(update_fields=["article_ids", "done"])
    action.status = LabelAction.Status.DONE
    action.done = action.total
    action.save(update_fields=["status", "done"])


def run_waiting_actions() -> int:
    """Runs the label actions waiting (or left half done by a runner that stopped)."""
    ran = 0
    waiting = LabelAction.Status.QUEUED, LabelAction.Status.RUNNING
    # Only the background ones: a smaller action runs in its request (never twice at once).
    background = LabelAction.objects.filter(status__in=waiting, total__gt=BACKGROUND_FROM)
    for action in background.order_by("created", "id"):
        run_action(action)
        ran += 1
    return ran


def label_action_undo(*, user, action: LabelAction) -> LabelAction:
    """Reverses exactly what the action changed: the articles it labelled lose the label, those
    it unlabelled get it back."""
    if action.user_id != getattr(user, "pk", None):
        raise TriageRefused("Only who made a label action undoes it.", status=403)
    if action.status != LabelAction.Status.DONE:
        raise TriageRefused("This label action is not done, or was undone already.", status=409)
    for start in range(0, len(action.article_ids), CHUNK):
        chunk = action.article_ids[start : start + CHUNK]
        if action.kind == LabelAction.Kind.ADD:
            remove_labels(label=action.label, article_ids=chunk)
        else:
            add_labels(label=action.label, article_ids=chunk, user=user)
    action.status = LabelAction.Status.UNDONE
    action.save(update_fields=["status"])
    return action
