"""Batch searches: many queries run with the same filters, kept for the user who ran them."""

from __future__ import annotations

from django.db import models


class BatchSearch(models.Model):
    """A batch and its table. ``queries`` are ``{"query", "label"}`` in the order given;
    ``rows`` grow as the runner answers them (``search.desk.batches``), so ``len(rows)`` is
    the progress, and a runner that dies leaves the answered rows for the next one."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="batch_searches")
    name = models.CharField(max_length=200, blank=True)
    queries = models.JSONField(default=list)
    filters = models.CharField(
        max_length=2000, blank=True, help_text="The filters of every query, as a query string."
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows = models.JSONField(default=list)
    # The runner touches this with each saved row: a "running" batch left untouched for long
    # lost its runner and is taken up again.
    heartbeat = models.DateTimeField(null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs_again",
        help_text="The batch this one runs again (to show what changed).",
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "batch searches"
        indexes = [models.Index(fields=["status", "heartbeat"], name="batch_status_heartbeat")]

    def __str__(self) -> str:
        return self.name or f"Batch {self.pk}"

    @property
    def progress(self) -> int:
        return len(self.rows)
