"""What the search engine indexes for one article: engine-neutral, built by the models."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class IndexDocument:
    id: int
    title: str
    body: str
    published: datetime.date | None
    ministers: tuple[str, ...]  # slugs
    topics: tuple[str, ...]  # slugs
    # The near-duplicate cluster (``Article.story_cluster``); 0 while it has no other versions.
    cluster: int = 0
    # The shared labels' slugs (search.models.triage): a facet like ministers and topics.
    labels: tuple[str, ...] = ()

    @property
    def story(self) -> int:
        """What results collapse on: the versions of one story share it."""
        return self.cluster or self.id

    @property
    def year(self) -> int | None:
        return self.published.year if self.published else None

    @property
    def version(self) -> str:
        """A fingerprint of everything indexed: a stale index entry has another version."""
        parts = [
            self.title,
            self.body,
            self.published.isoformat() if self.published else "",
            ",".join(sorted(self.ministers)),
            ",".join(sorted(self.topics)),
            *([str(self.cluster)] if self.cluster else []),
            *(["labels:" + ",".join(sorted(self.labels))] if self.labels else []),
        ]
        return hashlib.sha1("\0".join(parts).encode()).hexdigest()
