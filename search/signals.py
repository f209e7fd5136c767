"""Keep derived data in sync: every article change queues its index refresh (see index_sync)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from search import selectors
from search.ingest import evidence
from search.models import Article, ArticleLabel, Label, Minister, Topic
from search.operations import index_sync


@receiver(post_save, sender=Article)
def article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if not raw:
        index_sync.enqueue([instance.pk])


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance: Article, **kwargs) -> None:
    index_sync.enqueue([instance.pk])


@receiver(m2m_changed, sender=Article.ministers.through)
@receiver(m2m_changed, sender=Article.topics.through)
def article_tags_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action == "pre_clear" and reverse:
        # Clearing from the minister's/topic's side: remember whose tags are going.
        instance._clearing_article_ids = list(instance.articles.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        article_ids = [instance.pk]
    elif action == "post_clear":
        article_ids = getattr(instance, "_clearing_article_ids", [])
    else:
        article_ids = list(pk_set or [])
    if article_ids:
        # Tags are part of the indexed document: mark the article as changed for rebuilds.
        Article.objects.filter(pk__in=article_ids).update(updated=timezone.now())
        index_sync.enqueue(article_ids)


@receiver(post_delete, sender=Article)
def article_evidence_deleted(sender, instance: Article, **kwargs) -> None:
    # Derived data too: a deleted article's lines no longer count as a source's evidence.
    evidence.forget_article(
        article_id=instance.pk, source_key=instance.source_key, line_hashes=instance.line_hashes
    )


@receiver(post_save, sender=Label)
@receiver(pre_delete, sender=Label)
def label_changed(sender, instance: Label, raw: bool = False, created: bool = False, **kwargs):
    # Labels are indexed by slug: a renamed or deleted label's articles are indexed again
    # (search.desk.triage queues the articles it labels itself).
    if raw or created:
        return
    article_ids = list(
        ArticleLabel.objects.filter(label=instance).values_list("article_id", flat=True)
    )
    if article_ids:
        Article.objects.filter(pk__in=article_ids).update(updated=timezone.now())
        index_sync.enqueue(article_ids)


@receiver(post_save, sender=Minister)
@receiver(post_save, sender=Topic)
@receiver(post_save, sender=Label)
@receiver(post_delete, sender=Minister)
@receiver(post_delete, sender=Topic)
@receiver(post_delete, sender=Label)
def facet_name_changed(sender, **kwargs) -> None:
    selectors.forget_facet_names()
