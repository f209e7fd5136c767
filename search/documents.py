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
        ]
        return hashlib.sha1("\0".join(parts).encode()).hexdigest()
