"""Curation data an editor provides as a file: the minister gazetteer, the topic rules, and
metadata the article texts lack (dates). ``load_seeds`` applies it; re-applying changes nothing.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction

from search.models import Article, Minister, Topic


def update_or_create_changed(model, *, slug: str, values: dict) -> bool:
    """Create or update one row by slug; True when anything changed (no write otherwise)."""
    row = model.objects.filter(slug=slug).first()
    if row is None:
        model.objects.create(slug=slug, **values)
        return True
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    for name, value in changed.items():
        setattr(row, name, value)
    if changed:
        row.save(update_fields=list(changed))
    return bool(changed)


@transaction.atomic
def load_taxonomy(data: dict) -> int:
    """Ministers and topics from curation data; returns how many rows were created or changed."""
    changed = 0
    for entry in data.get("ministers", []):
        values = {
            "name": entry["name"],
            "country": entry.get("country", ""),
            "office": entry.get("office", ""),
            "aliases": list(entry.get("aliases", [])),
        }
        changed += update_or_create_changed(Minister, slug=entry["slug"], values=values)
    for entry in data.get("topics", []):
        values = {"label": entry["label"], "keywords": list(entry.get("keywords", []))}
        changed += update_or_create_changed(Topic, slug=entry["slug"], values=values)
    return changed


def apply_article_metadata(data: dict) -> list[str]:
    """Dates (and titles) an editor supplied for particular source files, kept as manual fields.

    Returns a message for each entry whose article is not in the archive.
    """
    missing = []
    for entry in data.get("articles", []):
        article = Article.objects.filter(source_path=entry["source_path"]).first()
        if article is None:
            missing.append(
                f"{entry['source_path']}: no such article; its curation entry is skipped"
            )
            continue
        updates = {}
        if entry.get("published"):
            updates["published"] = datetime.date.fromisoformat(entry["published"])
        if entry.get("title"):
            updates["title"] = entry["title"]
        manual = set(article.manual_fields) | set(updates)
        if all(getattr(article, k) == v for k, v in updates.items()) and manual == set(
            article.manual_fields
        ):
            continue
        for name, value in updates.items():
            setattr(article, name, value)
        article.manual_fields = sorted(manual)
        article.save()
    return missing


def read_curation(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValueError(f"cannot read curation data {path}: {error}") from error
