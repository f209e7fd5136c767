"""Alerts on saved searches and their deliveries."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0017_strip_control_characters"),
    ]

    operations = []
