"""Batch searches kept for their user."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0018_alerts"),
    ]

    operations = []
