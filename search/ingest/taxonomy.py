"""The tag rules as drafting reads them, and the slug -> id maps that writing needs."""

from __future__ import annotations

from dataclasses import dataclass

from search.ingest.drafting import ArticleDraft, TagRules
from search.ingest.extraction import MinisterSpec, TopicSpec
from search.models import Minister, Topic


@dataclass(frozen=True)
class Taxonomy:
    """The gazetteer and topic rules as the extractor wants them, plus slug -> id maps."""

    ministers: tuple[MinisterSpec, ...]
    topics: tuple[TopicSpec, ...]
    minister_ids: dict[str, int]
    topic_ids: dict[str, int]

    @classmethod
    def load(cls) -> Taxonomy:
        ministers = list(Minister.objects.all())
        topics = list(Topic.objects.all())
        rules = TagRules(
            ministers=tuple(MinisterSpec(m.slug, tuple(m.all_names())) for m in ministers),
            topics=tuple(TopicSpec(t.slug, tuple(t.keywords)) for t in topics),
        )
        return cls(
            ministers=rules.ministers,
            topics=rules.topics,
            minister_ids={m.slug: m.pk for m in ministers},
            topic_ids={t.slug: t.pk for t in topics},
        )

    @property
    def rules(self) -> TagRules:
        return TagRules(ministers=self.ministers, topics=self.topics)

    def tag_ids(self, draft: ArticleDraft) -> dict[str, set[int]]:
        return {
            "ministers": {self.minister_ids[slug] for slug in draft.minister_slugs},
            "topics": {self.topic_ids[slug] for slug in draft.topic_slugs},
        }
