"""The archive: articles, the people and topics they are tagged with, and saved searches."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.urls import reverse

from search.documents import IndexDocument


class Minister(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    country = models.CharField(max_length=100, blank=True)
    office = models.CharField(max_length=200, blank=True)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other spellings of the name, one per entry."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


class FormerMinisterSlug(models.Model):
    """A slug a minister was known by before a merge or a rename.

    Saved links and bookmarked searches carry slugs (``/?minister=<slug>``); the search maps a
    former slug to the minister who carries those articles now.
    """

    slug = models.SlugField(max_length=100, unique=True)
    minister = models.ForeignKey(Minister, on_delete=models.CASCADE, related_name="former_slugs")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"{self.slug} -> {self.minister.slug}"


class Topic(models.Model):
    label = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    keywords = models.JSONField(
        default=list,
        blank=True,
        help_text="Words or phrases that tag an article with this topic (whole words, any case).",
    )

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class Article(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        HIDDEN = "hidden", "Hidden"

    # Fields an editor can set by hand; re-extraction leaves those in ``manual_fields`` alone.
    EDITABLE_FIELDS = ("title", "body", "published", "ministers", "topics")

    title = models.CharField(max_length=500)
    body = models.TextField(
        help_text="The clean article text: paragraphs separated by blank lines."
    )
    raw = models.TextField(
        help_text="The input exactly as received, kept for audit and re-cleaning."
    )
    raw_format = models.CharField(max_length=10, default="txt")  # txt | html | pdf | body
    removed = models.JSONField(
        default=list, blank=True, help_text="What the cleaner removed: [{text, reason}, ...]."
    )
    cleaning_overrides = models.JSONField(
        default=dict,
        blank=True,
        help_text='Editor decisions that survive re-cleaning: {"keep": [lines], "drop": [lines]}.',
    )
    source_metadata = models.JSONField(
        default=dict,
        blank=True,
        help_text="Title/published given by the input itself (JSON lines).",
    )
    source_path = models.CharField(max_length=1000, blank=True, db_index=True)
    source_url = models.URLField(max_length=1000, blank=True, db_index=True)
    source_key = models.CharField(
        max_length=300, blank=True, db_index=True, help_text="Site or folder the article came from."
    )
    content_hash = models.CharField(max_length=64, db_index=True)
    original_sha256 = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="A PDF's SHA-256: the original is kept in the data dir's originals/.",
    )
    line_hashes = models.JSONField(
        default=list,
        blank=True,
        help_text="Hashes of the input's short lines, counted in SourceLineCount for its source.",
    )
    published = models.DateField(null=True, blank=True, db_index=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    ministers = models.ManyToManyField(Minister, blank=True, related_name="articles")
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    manual_fields = models.JSONField(
        default=list, blank=True, help_text="Fields set by an editor; re-extraction keeps them."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Near-duplicates (search.stories.clusters): the versions of one story share ``story_cluster``,
    # the id of the story's first article; None while an article has no other versions.
    story_cluster = models.BigIntegerField(
        null=True, blank=True, db_index=True, help_text="The story this article is a version of."
    )
    story_cluster_by_editor = models.BooleanField(
        default=False, help_text="An editor placed it (split or join); imports leave it there."
    )

    class Meta:
        ordering = ["-published", "-id"]
        indexes = [
            # A rebuild catches up with the articles saved while it ran (updated >= its start).
            # Declared here, not as db_index: altering the field would copy the table on SQLite.
            models.Index(fields=["updated"], name="search_article_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.year = self.published.year if self.published else None
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("search:article", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def source(self) -> str:
        return self.source_url or self.source_path

    def search_document(
        self, *, ministers: Iterable[str], topics: Iterable[str], labels: Iterable[str] = ()
    ) -> IndexDocument:
        """What the search index holds for this article, given its tags' and labels' slugs."""
        return IndexDocument(
            id=self.pk,
            title=self.title,
            body=self.body,
            published=self.published,
            ministers=tuple(sorted(ministers)),
            topics=tuple(sorted(topics)),
            cluster=self.story_cluster or 0,
            labels=tuple(sorted(labels)),
        )

    @property
    def story(self) -> int:
        """The key of the story it belongs to: its cluster's, or its own id when alone."""
        return self.story_cluster or self.pk


class NearDuplicateSignature(models.Model):
    """An article's MinHash signature (``search.stories.near_duplicates.Signature.to_bytes``)."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    signature = models.BinaryField()

    def __str__(self) -> str:
        return f"signature of article {self.article_id}"


class NearDuplicateBand(models.Model):
    """One LSH band key of an article's signature: the index that finds its candidates.

    Keyed by the key and the article (migration 0028: on SQLite a table WITHOUT ROWID, so the
    rows are themselves the key's index). A later migration that alters this table on SQLite
    must keep WITHOUT ROWID: Django's table remake would drop it.
    """

    pk = models.CompositePrimaryKey("key", "article")
    key = models.BigIntegerField()
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"band {self.key} of article {self.article_id}"


class SourceLineCount(models.Model):
    """In how many articles of a source one short line stands: the evidence of boilerplate.

    A line that stands verbatim in several articles of the same source is a site template
    (a promo, a ranking heading), not article text. One row a line a source, not a row a line
    an article: the articles' own line hashes are in ``Article.line_hashes``.
    """

    source_key = models.CharField(max_length=300)
    line_hash = models.CharField(max_length=16)
    articles = models.PositiveIntegerField(default=0)
    # The first articles to carry the line, up to the repeated-line threshold: the ones to
    # clean again when the line becomes boilerplate (later articles are cleaned knowing it).
    first_article_ids = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_key", "line_hash"], name="unique_source_line_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_key}: {self.line_hash} in {self.articles} articles"


class PendingIndexChange(models.Model):
    """An article whose index entry must be brought up to date.

    Written in the same transaction as the change to the article, so a change whose index write
    failed (lock timeout, crash) is still known and applied by the next writer or by
    ``process_index_queue``. The entry says only *which* article: the engine reads its current
    state and indexes or removes it.
    """

    article_id = models.BigIntegerField(db_index=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"reindex article {self.article_id}"


class SavedSearch(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=32, unique=True)
    query_string = models.CharField(max_length=2000, blank=True)
    featured = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    client = models.CharField(
        max_length=32,
        blank=True,
        db_index=True,
        help_text="A keyed hash of the address that saved it (never the address itself): "
        "the same for every save from one client, so spam can be found and removed together.",
    )
    # Whose it is (none: saved anonymously) and who may see it: see search.desk.saved_search_access.
    owner = models.ForeignKey(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    visibility = models.CharField(
        max_length=8,
        choices=[
            ("private", "Only me"),
            ("link", "Anyone with the link"),
            ("listed", "Listed for everyone"),
        ],
        default="listed",
    )

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "saved searches"

    def __str__(self) -> str:
        return self.name


class ExportRecord(models.Model):
    """One export a client started: the rows are the count its hourly limit reads."""

    client = models.CharField(max_length=32, db_index=True, help_text="See search.clients.")
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"export by {self.client} at {self.created:%Y-%m-%d %H:%M}"
