"""Alerts on saved searches: who is told, how often, what they were already sent, and each
mail from the moment it is decided until the SMTP server accepts it (search.desk.alerts)."""

from __future__ import annotations

from django.db import models


class Alert(models.Model):
    class Frequency(models.TextChoices):
        AS_THEY_ARRIVE = "arrive", "As they arrive"
        DAILY = "daily", "Daily digest"

    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="alerts")
    saved_search = models.ForeignKey("SavedSearch", on_delete=models.CASCADE, related_name="alerts")
    frequency = models.CharField(
        max_length=8, choices=Frequency.choices, default=Frequency.AS_THEY_ARRIVE
    )
    # A daily digest goes out at this hour (0-23) of the owner's time zone.
    digest_hour = models.PositiveSmallIntegerField(default=8)
    time_zone = models.CharField(max_length=64, default="UTC")
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    # When the matches were last compared with what was already sent (None: never; the first
    # check then only records what matches, see search.desk.alerts.take_baseline).
    last_checked = models.DateTimeField(null=True, blank=True)
    # The owner's address the receiving mail server refused for good (an SMTP 5xx for that
    # recipient), with its answer: the alert's mail waits, untried, while the owner's address is
    # still this one (search.desk.alert_runs).
    refused_address = models.EmailField(blank=True)
    refusal = models.CharField(max_length=500, blank=True)
    refused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "saved_search"], name="one_alert_per_search")
        ]

    def __str__(self) -> str:
        return f"alert on {self.saved_search_id} for {self.owner_id}"


class AlertDelivery(models.Model):
    """One mail: written with its Message-ID and articles before it is sent, marked sent when
    the SMTP server accepted it. An unsent one is sent again, the same, until it is, or until
    it outlives ALERT_MAIL_LIFETIME_DAYS and is given up."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=200, unique=True)
    article_ids = models.JSONField(default=list)  # newest first; the mail shows up to 50
    new_matches = models.PositiveIntegerField(default=0)
    last_of_the_day = models.BooleanField(default=False)  # the mail says the daily limit is reached
    created = models.DateTimeField(db_index=True)
    sent = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=500, blank=True)
    # When a run stopped trying it: the SMTP server still failed (4xx, or down) after the
    # delivery's lifetime, as a mail server bounces after its queue lifetime. Never tried again;
    # its articles stay dealt with (search.desk.alert_runs).
    given_up = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name_plural = "alert deliveries"

    def __str__(self) -> str:
        return self.message_id


class AlertSentArticle(models.Model):
    """An article this alert has dealt with: mailed (with its delivery), or matching already
    when the alert was turned on (no delivery). Never mailed again for this alert."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="sent_articles")
    article_id = models.IntegerField()
    delivery = models.ForeignKey(
        AlertDelivery, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "article_id"], name="article_sent_once")
        ]

    def __str__(self) -> str:
        return f"article {self.article_id} of alert {self.alert_id}"
