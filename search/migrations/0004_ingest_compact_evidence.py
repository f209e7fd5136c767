"""Repeated-line evidence as a count per line per source, not a row per line per article.

The old rows are folded into counts (the hashes are the same SHA-1 of the same lines, kept to
their first 16 hex digits), and each article keeps its own lines' hashes.
"""

from django.db import migrations, models

CHUNK = 2000


def fold_evidence(apps, schema_editor):
    from search.conf import get_setting

    SourceLine = apps.get_model("search", "SourceLine")
    SourceLineCount = apps.get_model("search", "SourceLineCount")
    Article = apps.get_model("search", "Article")
    threshold = get_setting("REPEATED_LINE_MIN_ARTICLES")
    database = schema_editor.connection.alias  # the database being migrated, not "default"
    counts: dict[tuple[str, str], list[int]] = {}
    hashes: dict[int, list[str]] = {}
    rows = SourceLine.objects.using(database).order_by("article_id", "id").values_list(
        "source_key", "line_hash", "article_id"
    )
    for source_key, line_hash, article_id in rows.iterator(chunk_size=CHUNK):
        short = line_hash[:16]
        hashes.setdefault(article_id, []).append(short)
        counts.setdefault((source_key, short), []).append(article_id)
    SourceLineCount.objects.using(database).bulk_create(
        (
            SourceLineCount(
                source_key=source_key,
                line_hash=line_hash,
                articles=len(set(article_ids)),
                first_article_ids=sorted(set(article_ids))[:threshold],
            )
            for (source_key, line_hash), article_ids in counts.items()
        ),
        batch_size=CHUNK,
    )
    articles = []
    for article in Article.objects.using(database).filter(pk__in=list(hashes)).only("pk").iterator(CHUNK):
        article.line_hashes = list(dict.fromkeys(hashes[article.pk]))
        articles.append(article)
    Article.objects.using(database).bulk_update(articles, ["line_hashes"], batch_size=CHUNK)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_editor_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="line_hashes",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Hashes of the input's short lines, counted in SourceLineCount for its source.",
            ),
        ),
        migrations.CreateModel(
            name="SourceLineCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source_key", models.CharField(max_length=300)),
                ("line_hash", models.CharField(max_length=16)),
                ("articles", models.PositiveIntegerField(default=0)),
                ("first_article_ids", models.JSONField(default=list)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("source_key", "line_hash"), name="unique_source_line_count")
                ],
            },
        ),
        migrations.RunPython(fold_evidence, migrations.RunPython.noop),
        migrations.DeleteModel(name="SourceLine"),
    ]
