"""Alerts on saved searches and their deliveries."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0017_strip_control_characters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Alert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "frequency",
                    models.CharField(
                        choices=[("arrive", "As they arrive"), ("daily", "Daily digest")],
                        default="arrive",
                        max_length=8,
                    ),
                ),
                ("digest_hour", models.PositiveSmallIntegerField(default=8)),
                ("time_zone", models.CharField(default="UTC", max_length=64)),
                ("active", models.BooleanField(default=True)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("last_checked", models.DateTimeField(blank=True, null=True)),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="alerts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "saved_search",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="alerts",
                        to="search.savedsearch",
                    ),
                ),
            ],
            options={"ordering": ["created", "id"]},
        ),
        migrations.CreateModel(
            name="AlertDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("message_id", models.CharField(max_length=200, unique=True)),
                ("article_ids", models.JSONField(default=list)),
                ("new_matches", models.PositiveIntegerField(default=0)),
                ("last_of_the_day", models.BooleanField(default=False)),
                ("created", models.DateTimeField(db_index=True)),
                ("sent", models.DateTimeField(blank=True, db_index=True, null=True)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("next_attempt", models.DateTimeField(db_index=True)),
                ("last_error", models.CharField(blank=True, max_length=500)),
                (
                    "alert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="search.alert",
                    ),
                ),
            ],
            options={"verbose_name_plural": "alert deliveries", "ordering": ["created", "id"]},
        ),
        migrations.CreateModel(
            name="AlertSentArticle",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("article_id", models.IntegerField()),
                (
                    "alert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sent_articles",
                        to="search.alert",
                    ),
                ),
                (
                    "delivery",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="search.alertdelivery",
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.UniqueConstraint(
                fields=("owner", "saved_search"), name="one_alert_per_search"
            ),
        ),
        migrations.AddConstraint(
            model_name="alertsentarticle",
            constraint=models.UniqueConstraint(
                fields=("alert", "article_id"), name="article_sent_once"
            ),
        ),
    ]
