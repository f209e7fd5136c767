"""Batch searches kept for their user."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0018_alerts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BatchSearch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(blank=True, max_length=200)),
                ("queries", models.JSONField(default=list)),
                (
                    "filters",
                    models.CharField(
                        blank=True,
                        help_text="The filters of every query, as a query string.",
                        max_length=2000,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("queued", "Queued"), ("running", "Running"), ("done", "Done")],
                        default="queued",
                        max_length=8,
                    ),
                ),
                ("rows", models.JSONField(default=list)),
                ("heartbeat", models.DateTimeField(blank=True, null=True)),
                ("created", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("finished", models.DateTimeField(blank=True, null=True)),
                (
                    "previous",
                    models.ForeignKey(
                        blank=True,
                        help_text="The batch this one runs again (to show what changed).",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="runs_again",
                        to="search.batchsearch",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="batch_searches",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "batch searches",
                "ordering": ["-created", "-id"],
                "indexes": [
                    models.Index(fields=["status", "heartbeat"], name="batch_status_heartbeat")
                ],
            },
        ),
    ]
