"""The original PDF behind an article: linked from its page, served only when it may be seen."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from search.ingest import importing
from search.models import Article
from tests.pdf_factory import text_pdf

PAGES = [
    [
        "Platypus talks open in Delhi",
        "The platypus minister met officials in Delhi on Tuesday for talks on maritime",
        "security, trade and the protection of rivers in both countries.",
    ]
]


@pytest.fixture
def pdf_article(tmp_path, db) -> tuple[Article, bytes]:
    data = text_pdf(PAGES, Title="Platypus talks")
    (tmp_path / "release.pdf").write_bytes(data)
    assert importing.import_paths([tmp_path / "release.pdf"]).imported == 1
    return Article.objects.get(), data


def test_the_article_page_links_the_original_pdf(client, pdf_article):
    article, data = pdf_article
    original_url = reverse("search:article-original", args=[article.pk])
    assert f'href="{original_url}"' in client.get(f"/articles/{article.pk}/").text
    response = client.get(original_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="release.pdf"'
    assert b"".join(response.streaming_content) == data


def test_a_hidden_articles_original_is_never_served(client, pdf_article):
    article, _ = pdf_article
    article.status = Article.Status.HIDDEN
    article.save(update_fields=["status"])
    original_url = reverse("search:article-original", args=[article.pk])
    assert client.get(original_url).status_code == 404
    client.force_login(User.objects.create_user("staff", is_staff=True))
    assert client.get(original_url).status_code == 200  # staff see hidden articles


@pytest.mark.django_db
def test_an_article_without_an_original_has_no_link(client, tmp_path):
    (tmp_path / "note.txt").write_text("Platypus talks\n\nThe minister met officials today.\n")
    importing.import_paths([tmp_path / "note.txt"])
    article = Article.objects.get()
    assert "Original PDF" not in client.get(f"/articles/{article.pk}/").text
    assert client.get(reverse("search:article-original", args=[article.pk])).status_code == 404
