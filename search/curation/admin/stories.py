"""Near-duplicate stories in the article admin: see an article's story and its size, list a
story's versions, and split or join stories (``search.stories.clusters``; imports keep the
result)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.html import format_html

from search.models import Article
from search.stories import clusters


class StoryFilter(admin.SimpleListFilter):
    """``?story=<id>``: the versions of one story (the link in the Story column)."""

    title = "story"
    parameter_name = "story"

    def lookups(self, request, model_admin):
        value = self.value()
        if value and value.isdigit():
            return [(value, f"Story #{value}")]
        return []

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(story_cluster=int(value))


class VersionsFilter(admin.SimpleListFilter):
    title = "near-duplicates"
    parameter_name = "versions"

    def lookups(self, request, model_admin):
        return [("some", "Has other versions"), ("editor", "Story set by an editor")]

    def queryset(self, request, queryset):
        if self.value() == "some":
            return queryset.filter(story_cluster__isnull=False)
        if self.value() == "editor":
            return queryset.filter(story_cluster_by_editor=True)
        return queryset


def with_story_sizes(queryset):
    """Each article annotated with its story's number of articles (1 when alone)."""
    sizes = (
        Article.objects.filter(story_cluster=OuterRef("story_cluster"))
        .order_by()
        .values("story_cluster")
        .annotate(size=Count("pk"))
        .values("size")
    )
    return queryset.annotate(
        story_size=Coalesce(Subquery(sizes, output_field=IntegerField()), Value(1))
    )


class StoryAdminMixin:
    """Columns, filters and actions of near-duplicate stories, for ``ArticleAdmin``."""

    story_list_filters = [VersionsFilter, StoryFilter]
    story_actions = ["join_stories", "split_from_stories"]

    @admin.display(description="Story", ordering="story_cluster")
    def story_display(self, article: Article) -> str:
        if article.story_cluster is None:
            return "alone" + (" (set by an editor)" if article.story_cluster_by_editor else "")
        size = getattr(article, "story_size", None) or ""
        return format_html(
            '<a href="?story={}">#{} · {} versions</a>{}',
            article.story_cluster,
            article.story_cluster,
            size,
            " (set by an editor)" if article.story_cluster_by_editor else "",
        )

    @admin.action(
        description="Join the selected articles' stories into one", permissions=["change"]
    )
    def join_stories(self, request, queryset) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        if len(ids) < 2:
            self.message_user(
                request, "Select at least two articles to join their stories.", messages.WARNING
            )
            return
        count = clusters.join_stories(article_ids=ids)
        self.message_user(
            request, f"Joined into one story of {count} articles; later imports keep it so."
        )

    @admin.action(
        description="Split the selected articles out of their stories", permissions=["change"]
    )
    def split_from_stories(self, request, queryset) -> None:
        count = clusters.split_from_stories(article_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            f"Split {count} articles out of their stories; later imports leave them alone.",
        )
