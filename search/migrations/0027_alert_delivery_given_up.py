"""An alert mail records when a run gave it up: still unsent (the SMTP server answered 4xx, or
could not be reached) once it outlived ALERT_MAIL_LIFETIME_DAYS, it is not tried again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0026_article_updated_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="alertdelivery",
            name="given_up",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
