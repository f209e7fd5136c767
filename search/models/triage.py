"""Triage: a reader's stars (private), the archive's shared labels, notes on articles (private
or shared), and each bulk label action kept so that it can be undone (search.desk.triage)."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower

# Colours that keep 4.5:1 contrast with white text (WCAG AA): a label's chip is readable in any.
LABEL_COLOURS = (
    ("blue", "Blue", "#1f4e96"),
    ("green", "Green", "#1d6b35"),
    ("red", "Red", "#a4262c"),
    ("purple", "Purple", "#5c2d91"),
    ("orange", "Orange", "#8a4b00"),
    ("teal", "Teal", "#0b5e66"),
    ("grey", "Grey", "#4a4f55"),
)


class Star(models.Model):
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="stars")
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="stars")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="one_star_per_user")
        ]

    def __str__(self) -> str:
        return f"star on {self.article_id} by {self.user_id}"


class Label(models.Model):
    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=80, unique=True)
    colour = models.CharField(
        max_length=10, choices=[(key, name) for key, name, _ in LABEL_COLOURS], default="blue"
    )
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    articles = models.ManyToManyField(
        "Article", through="ArticleLabel", related_name="labels", blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="label_name_unique_any_case")]

    def __str__(self) -> str:
        return self.name

    @property
    def colour_hex(self) -> str:
        return next(hex_ for key, _, hex_ in LABEL_COLOURS if key == self.colour)


class ArticleLabel(models.Model):
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="+")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "label"], name="label_once_per_article")
        ]

    def __str__(self) -> str:
        return f"{self.label_id} on {self.article_id}"


class Note(models.Model):
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(max_length=10_000)
    shared = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.article_id}"


class LabelAction(models.Model):
    """One add or remove of a label on many articles: ``article_ids`` are those it changed
    (not those that already were so), which is exactly what an undo reverses."""

    class Kind(models.TextChoices):
        ADD = "add", "Added"
        REMOVE = "remove", "Removed"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        UNDONE = "undone", "Undone"

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="label_actions")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # What to change: the ids picked, or every match of a search (its query string).
    query_string = models.TextField(blank=True)
    requested_ids = models.JSONField(default=list, blank=True)
    article_ids = models.JSONField(default=list, blank=True)  # those actually changed
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.label_id} by {self.user_id}"
