"""The curation admin through the Django test client, as an editor uses it; the search index
follows every change after the commit."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from search import engine
from search.models import Article, FormerMinisterSlug, Minister, SavedSearch, Topic
from search.query import SearchQuery
from tests.pdf_factory import text_pdf

CHANGELIST = "/admin/search/article/"


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client(client, db):
    client.force_login(User.objects.create_superuser("boss", email=None, password=None))
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a request as if it were committed: the after-commit index updates run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def found(**query) -> set[int]:
    return {hit.id for hit in engine.search(SearchQuery(per_page=100, **query)).hits}


def change_url(article: Article) -> str:
    return reverse("admin:search_article_change", args=[article.pk])


def form_data(article: Article, **changes) -> dict:
    article.refresh_from_db()
    data = {
        "title": article.title,
        "body": article.body,
        "published": article.published.isoformat() if article.published else "",
        "ministers": [minister.pk for minister in article.ministers.all()],
        "topics": [topic.pk for topic in article.topics.all()],
        "status": article.status,
    }
    return {**data, **changes}


def run_action(client, url: str, action: str, objects, **extra):
    data = {"action": action, "_selected_action": [obj.pk for obj in objects], **extra}
    return client.post(url, data)


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [CHANGELIST, "/admin/search/article/1/cleaning/", "/admin/search/article/upload/"],
)
def test_non_staff_user_is_sent_to_the_login_page(client, db, url):
    client.force_login(User.objects.create_user("reader"))
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/?next=")


def test_editor_group_has_exactly_the_curation_permissions(db):
    permissions = Group.objects.get(name="editor").permissions.all()
    assert {(p.content_type.app_label, p.codename) for p in permissions} == {
        ("search", "view_article"),
        ("search", "change_article"),
        ("search", "view_minister"),
        ("search", "add_minister"),
        ("search", "change_minister"),
        ("search", "view_topic"),
        ("search", "add_topic"),
        ("search", "change_topic"),
        ("search", "view_savedsearch"),
        ("search", "change_savedsearch"),
        ("search", "delete_savedsearch"),
        # Labels and notes (migration 0022): rename, merge, delete; notes are only deleted.
        ("search", "view_label"),
        ("search", "change_label"),
        ("search", "delete_label"),
        ("search", "view_note"),
        ("search", "delete_note"),
        # Alerts (migration 0025): seen, and paused.
        ("search", "view_alert"),
        ("search", "change_alert"),
    }


def test_editor_can_neither_delete_nor_add_articles(editor_client, seeded):
    response = editor_client.get(CHANGELIST)
    assert "delete_selected" not in response.context["cl"].model_admin.get_actions(
        response.wsgi_request
    )
    assert editor_client.get(reverse("admin:search_article_upload")).status_code == 403
    assert editor_client.get("/admin/search/article/add/").status_code == 403


# --- the article list ------------------------------------------------------------------------


FILTER_CASES = [
    ("", {"000", "001", "002", "003", "004"}),
    ("status__exact=hidden", {"004"}),
    ("year=2022", {"001"}),
    ("published__year=2024&published__month=8", {"000", "002", "004"}),
    ("missing=date", {"003"}),
    ("missing=ministers", {"003"}),
    ("ministers__id__exact={modi}", {"004"}),
    ("topics__id__exact={china}", {"002", "004"}),
    ("q=Kamikawa", {"000", "002", "003", "004"}),
]


def test_article_list_filters_and_search(editor_client, seeded):
    seeded["004"].status = Article.Status.HIDDEN
    seeded["004"].save()
    undated = seeded["003"]
    undated.published = None
    undated.manual_fields = ["ministers", "published"]
    undated.save()
    undated.ministers.clear()
    pks = {
        "modi": Minister.objects.get(slug="narendra-modi").pk,
        "china": Topic.objects.get(slug="china").pk,
    }
    for query_string, expected in FILTER_CASES:
        response = editor_client.get(f"{CHANGELIST}?{query_string.format(**pks)}")
        assert response.status_code == 200
        shown = {article.pk for article in response.context["cl"].result_list}
        assert shown == {seeded[key].pk for key in expected}, query_string
    assert "Yoko Kamikawa" in response.text  # the ministers column


# --- editing an article ----------------------------------------------------------------------


def test_edited_fields_become_manual_and_the_index_follows(editor_client, seeded, committed):
    article = seeded["002"]
    with committed():
        response = editor_client.post(
            change_url(article), form_data(article, title="Quokka summit in Tokyo")
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.title == "Quokka summit in Tokyo"
    assert article.manual_fields == ["title"]
    assert found(q="quokka") == {article.pk}


def test_unchanged_values_and_browser_line_endings_are_not_edits(editor_client, seeded):
    article = seeded["002"]
    data = form_data(article)
    data["body"] = data["body"].replace("\n", "\r\n")
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.manual_fields == []
    assert "\r" not in article.body


def test_tags_set_by_hand_survive_re_extraction(editor_client, seeded, committed):
    article = seeded["003"]
    modi = Minister.objects.get(slug="narendra-modi")
    with committed():
        editor_client.post(change_url(article), form_data(article, ministers=[modi.pk]))
        run_action(editor_client, CHANGELIST, "reextract", [article])
    article.refresh_from_db()
    assert article.manual_fields == ["ministers"]
    assert [m.slug for m in article.ministers.all()] == ["narendra-modi"]
    assert article.pk in found(ministers=("narendra-modi",))
    assert article.pk not in found(ministers=("s-jaishankar",))


def test_change_form_shows_manual_fields_and_returns_one_to_automatic(
    editor_client, seeded, committed
):
    article = seeded["000"]  # its date comes from the curation data: set by hand
    page = editor_client.get(change_url(article))
    assert "Set by hand: re-cleaning and re-extraction keep it." in page.text
    assert page.context["adminform"].form.fields["return_to_automatic"].choices == [
        ("published", "Published date")
    ]
    with committed():
        editor_client.post(change_url(article), form_data(article, return_to_automatic="published"))
    article.refresh_from_db()
    assert article.manual_fields == []
    assert article.published is None  # the text itself has no date
    assert article.pk not in found(years=(2024,))


def test_returning_the_body_re_cleans_it_from_the_raw_input(editor_client, seeded):
    article = seeded["002"]
    cleaned_body = article.body
    editor_client.post(change_url(article), form_data(article, body="Only this."))
    article.refresh_from_db()
    assert (article.body, article.manual_fields) == ("Only this.", ["body"])
    editor_client.post(change_url(article), form_data(article, return_to_automatic="body"))
    article.refresh_from_db()
    assert (article.body, article.manual_fields) == (cleaned_body, [])


def test_a_title_returned_to_automatic_comes_from_the_text_again(editor_client, seeded):
    article = seeded["004"]
    extracted = article.title
    editor_client.post(change_url(article), form_data(article, title="Quokka"))
    editor_client.post(change_url(article), form_data(article, return_to_automatic="title"))
    article.refresh_from_db()
    assert (article.title, article.manual_fields) == (extracted, [])


def test_hiding_an_article_removes_it_from_the_public_search(
    editor_client, client, seeded, committed
):
    article = seeded["001"]
    with committed():
        editor_client.post(change_url(article), form_data(article, status="hidden"))
    assert article.pk not in found()
    client.logout()
    ids = {hit["id"] for hit in client.get("/api/search?per_page=100").json()["hits"]}
    assert article.pk not in ids
    assert len(ids) == 4


# --- bulk actions ----------------------------------------------------------------------------


def test_bulk_hide_and_publish_reach_the_index(editor_client, seeded, committed):
    chosen = [seeded["001"], seeded["003"]]
    with committed():
        response = run_action(editor_client, CHANGELIST, "hide", chosen)
    assert response.status_code == 302
    assert found() == {seeded[key].pk for key in ("000", "002", "004")}
    assert set(Article.objects.filter(status="hidden").values_list("pk", flat=True)) == {
        a.pk for a in chosen
    }
    with committed():
        run_action(editor_client, CHANGELIST, "publish", chosen)
    assert len(found()) == 5


def test_reclean_and_reindex_actions(editor_client, seeded, committed):
    article = seeded["002"]
    # Behind the index's back: the index does not know the new title until a reindex.
    Article.objects.filter(pk=article.pk).update(title="Wombat diplomacy")
    assert found(q="wombat") == set()
    with committed():
        response = run_action(editor_client, CHANGELIST, "reindex", [article])
    assert found(q="wombat") == {article.pk}
    with committed():
        response = run_action(editor_client, CHANGELIST, "reclean", [article])
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title.startswith("India-Japan")  # re-extracted from the raw input
    assert found(q="wombat") == set()


# --- cleaning review -------------------------------------------------------------------------


def cleaning_url(article: Article) -> str:
    return reverse("admin:search_article_cleaning", args=[article.pk])


def test_cleaning_review_shows_the_input_with_removed_lines_marked(editor_client, seeded):
    article = seeded["003"]
    response = editor_client.get(cleaning_url(article))
    assert response.status_code == 200
    review = response.context["review"]
    removed = {line.text: line.removed_reason for line in review.input_lines if line.removed_reason}
    assert removed['"Politics" POPULAR ARTICLE'] == "ranking-list"
    assert "&quot;Politics&quot; POPULAR ARTICLE" in response.text  # escaped
    assert review.paragraphs == article.body.split("\n\n")


def test_restoring_a_removed_line_survives_re_cleaning(editor_client, seeded, committed):
    article = seeded["003"]
    line = next(r["text"] for r in article.removed if r["text"].startswith("Ishiba: Asian NATO"))
    with committed():
        response = editor_client.post(cleaning_url(article), {"line": line, "decision": "keep"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert line in article.body
    assert article.cleaning_overrides == {"keep": [line], "drop": []}
    assert article.pk in found(q='"Asian NATO"')
    with committed():
        run_action(editor_client, CHANGELIST, "reclean", [article])
    article.refresh_from_db()
    assert line in article.body


def test_removing_a_kept_paragraph_and_forgetting_the_decision(editor_client, seeded, committed):
    article = seeded["002"]
    paragraph = next(p for p in article.body.split("\n\n") if "Jaishankar" in p)
    with committed():
        editor_client.post(cleaning_url(article), {"line": paragraph, "decision": "drop"})
    article.refresh_from_db()
    assert paragraph not in article.body
    assert {"text": paragraph, "reason": "editor-drop"} in article.removed
    with committed():
        editor_client.post(cleaning_url(article), {"line": paragraph, "decision": "forget"})
    article.refresh_from_db()
    assert paragraph in article.body
    assert article.cleaning_overrides == {"keep": [], "drop": []}


def test_cleaning_review_escapes_the_input(superuser_client, db, settings):
    upload = SimpleUploadedFile(
        "evil.txt", b"A headline about the summit\n\n<script>alert(1)</script> in the text.\n"
    )
    superuser_client.post(reverse("admin:search_article_upload"), {"files": [upload]})
    article = Article.objects.get()
    page = superuser_client.get(cleaning_url(article)).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_viewer_sees_the_review_but_cannot_decide(client, seeded):
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    article = seeded["003"]
    assert client.get(cleaning_url(article)).status_code == 200
    response = client.post(cleaning_url(article), {"line": "x", "decision": "keep"})
    assert response.status_code == 403


# --- ministers and topics --------------------------------------------------------------------


def minister_data(minister: Minister, **changes) -> dict:
    data = {
        "name": minister.name,
        "slug": minister.slug,
        "country": minister.country,
        "office": minister.office,
        "aliases": "\n".join(minister.aliases),
    }
    return {**data, **changes}


def test_aliases_are_edited_one_per_line_and_retagging_is_offered(editor_client, seeded, committed):
    modi = Minister.objects.get(slug="narendra-modi")
    url = reverse("admin:search_minister_change", args=[modi.pk])
    page = editor_client.get(url)
    assert "Modi</textarea>" in page.text
    response = editor_client.post(
        url, minister_data(modi, aliases="Modi\r\n  Jaishankar  \r\n\r\nModi\r\n"), follow=True
    )
    modi.refresh_from_db()
    assert modi.aliases == ["Modi", "Jaishankar"]
    assert reverse("admin:search_article_retag") in response.text  # the offer

    preview = editor_client.get(reverse("admin:search_article_retag"))
    changes = preview.context["changes"]
    # Every article names Jaishankar; 004 already has Modi.
    assert {c.article_id for c in changes} == {seeded[k].pk for k in ("000", "001", "002", "003")}
    assert all(c.ministers_added == ("narendra-modi",) for c in changes)
    assert "would change" in preview.text and "4 articles" in preview.text
    assert seeded["000"].ministers.filter(slug="narendra-modi").count() == 0  # nothing saved

    with committed():
        editor_client.post(reverse("admin:search_article_retag"))
    assert found(ministers=("narendra-modi",)) == {a.pk for a in seeded.values()}


def test_retag_keeps_tags_set_by_hand(editor_client, seeded):
    article = seeded["003"]
    editor_client.post(change_url(article), form_data(article, topics=[]))
    topic = Topic.objects.get(slug="space")
    topic_url = reverse("admin:search_topic_change", args=[topic.pk])
    editor_client.post(
        topic_url,
        {"label": topic.label, "slug": topic.slug, "keywords": "space\nJaishankar"},
    )
    assert Topic.objects.get(pk=topic.pk).keywords == ["space", "Jaishankar"]
    preview = editor_client.get(reverse("admin:search_article_retag")).context["changes"]
    assert article.pk not in {change.article_id for change in preview}
    editor_client.post(reverse("admin:search_article_retag"))
    assert not article.topics.exists()
    assert seeded["000"].topics.filter(slug="space").exists()


def test_merging_ministers_moves_names_and_articles_and_keeps_the_old_slug(
    editor_client, client, seeded, committed
):
    survivor = Minister.objects.get(slug="yoko-kamikawa")
    duplicate = Minister.objects.create(
        name="Kamikawa Yoko-san", slug="kamikawa-yoko", aliases=["Foreign Minister Kamikawa"]
    )
    article = seeded["001"]
    with committed():
        article.ministers.add(duplicate)
    url = reverse("admin:search_minister_changelist")
    page = run_action(editor_client, url, "merge_ministers", [survivor, duplicate])
    assert page.status_code == 200 and "Merge" in page.text
    with committed():
        response = run_action(
            editor_client, url, "merge_ministers", [survivor, duplicate], survivor=survivor.pk
        )
    assert response.status_code == 302
    survivor.refresh_from_db()
    assert survivor.aliases == ["Kamikawa", "Kamikawa Yoko-san", "Foreign Minister Kamikawa"]
    assert not Minister.objects.filter(slug="kamikawa-yoko").exists()
    assert FormerMinisterSlug.objects.get(slug="kamikawa-yoko").minister == survivor
    assert article.pk in found(ministers=("yoko-kamikawa",))
    assert found(ministers=("kamikawa-yoko",)) == set()  # the index knows only live slugs
    # ... but saved links with the old slug still find the survivor's articles.
    old = client.get("/api/search?minister=kamikawa-yoko&per_page=100").json()
    new = client.get("/api/search?minister=yoko-kamikawa&per_page=100").json()
    assert old["total"] == new["total"] == len(found(ministers=("yoko-kamikawa",)))


def test_renaming_a_minister_slug_keeps_old_links_and_reindexes(
    editor_client, client, seeded, committed
):
    modi = Minister.objects.get(slug="narendra-modi")
    url = reverse("admin:search_minister_change", args=[modi.pk])
    with committed():
        editor_client.post(url, minister_data(modi, slug="modi"))
    assert found(ministers=("modi",)) == {seeded["004"].pk}
    assert client.get("/api/search?minister=narendra-modi").json()["total"] == 1
    page = editor_client.get(url)
    assert "narendra-modi" in page.text  # former slugs shown


def test_a_former_slug_cannot_be_given_to_another_minister(editor_client, seeded):
    FormerMinisterSlug.objects.create(
        slug="old-name", minister=Minister.objects.get(slug="narendra-modi")
    )
    response = editor_client.post(
        reverse("admin:search_minister_add"),
        {"name": "Someone", "slug": "old-name", "country": "", "office": "", "aliases": ""},
    )
    assert response.status_code == 200
    assert "former slug of Narendra Modi" in response.text


def test_deleting_a_topic_untags_its_articles_in_the_index(superuser_client, seeded, committed):
    topic = Topic.objects.get(slug="china")
    assert found(topics=("china",))
    with committed():
        url = reverse("admin:search_topic_delete", args=[topic.pk])
        superuser_client.post(url, {"post": "yes"})
    assert found(topics=("china",)) == set()


# --- saved searches --------------------------------------------------------------------------


def test_saved_searches_listed_edited_and_featured(editor_client, db):
    saved = SavedSearch.objects.create(name="Cyber", slug="cyber", query_string="q=cyber")
    listing = editor_client.get(reverse("admin:search_savedsearch_changelist"))
    assert 'href="/?q=cyber"' in listing.text
    run_action(editor_client, reverse("admin:search_savedsearch_changelist"), "feature", [saved])
    saved.refresh_from_db()
    assert saved.featured
    editor_client.post(
        reverse("admin:search_savedsearch_change", args=[saved.pk]),
        {
            "name": "Cyber security",
            "slug": "cyber",
            "query_string": "topic=cyber-security",
            "visibility": "listed",
        },
    )
    saved.refresh_from_db()
    assert (saved.name, saved.query_string, saved.featured) == (
        "Cyber security",
        "topic=cyber-security",
        False,
    )


# --- upload ----------------------------------------------------------------------------------


def test_upload_imports_several_files_and_reports_each(superuser_client, db, settings, committed):
    files = [
        SimpleUploadedFile("one.txt", b"Platypus talks in Delhi\n\nThe platypus met officials.\n"),
        SimpleUploadedFile(
            "two.html",
            b"<html><head><title>Echidna visit</title></head><body><article><h1>Echidna visit"
            b"</h1><p>An echidna came to Tokyo for talks on maritime security and more.</p>"
            b"</article></body></html>",
        ),
        SimpleUploadedFile("notes.pdf", b"%PDF-1.4"),
        SimpleUploadedFile("empty.txt", b""),
    ]
    with committed():
        response = superuser_client.post(reverse("admin:search_article_upload"), {"files": files})
    report = response.context["report"]
    assert (report.imported, report.updated, report.unchanged) == (2, 0, 0)
    assert sorted((problem.name, problem.reason) for problem in report.failed) == [
        ("empty.txt", "empty file"),
        ("notes.pdf", "damaged or truncated PDF (PDFium cannot read its structure)"),
    ]
    assert "damaged or truncated PDF" in response.text
    saved = list((settings.MEDIA_ROOT / "uploads").glob("*/*"))
    assert sorted(path.name for path in saved) == ["empty.txt", "notes.pdf", "one.txt", "two.html"]
    assert len(found(q="platypus")) == 1 and len(found(q="echidna")) == 1


def test_upload_imports_a_pdf(superuser_client, db, settings, committed):
    release = text_pdf(
        [["Wombat talks in Delhi", "The wombat minister met officials in Delhi on Tuesday."]],
        Title="Wombat talks",
    )
    upload = SimpleUploadedFile("release.pdf", release, content_type="application/pdf")
    with committed():
        response = superuser_client.post(
            reverse("admin:search_article_upload"), {"files": [upload]}
        )
    assert response.context["report"].imported == 1
    article = Article.objects.get(title="Wombat talks")
    assert article.raw_format == "pdf" and "met officials" in article.body
    assert (settings.DATA_DIR / "originals" / f"{article.original_sha256}.pdf").is_file()
    assert len(found(q="wombat")) == 1


def test_links_to_the_curation_pages(editor_client, seeded):
    article = seeded["002"]
    change_page = editor_client.get(change_url(article)).text
    assert f'href="{reverse("admin:search_article_cleaning", args=[article.pk])}"' in change_page
    listing = editor_client.get(CHANGELIST).text
    assert reverse("admin:search_article_retag") in listing
    assert reverse("admin:search_article_upload") not in listing  # editors do not add articles
    editor_client.force_login(User.objects.create_superuser("boss", email=None, password=None))
    assert reverse("admin:search_article_upload") in editor_client.get(CHANGELIST).text


def test_deleting_articles_in_bulk_removes_them_from_the_index(superuser_client, seeded, committed):
    chosen = [seeded["000"], seeded["001"]]
    with committed():
        response = run_action(superuser_client, CHANGELIST, "delete_selected", chosen, post="yes")
    assert response.status_code == 302
    assert found() == {seeded[key].pk for key in ("002", "003", "004")}


def test_upload_of_hostile_json_lines_reports_each_line_and_imports_the_rest(
    superuser_client, db, settings, committed
):
    """Never a 500: too deep, too large, wrong shape and broken lines are each a line's error."""
    settings.NEWSROOM = {**settings.NEWSROOM, "MAX_IMPORT_BYTES": 250_000}
    lines = [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"body": "' + b"x" * 300_000 + b'"}',
        b'{"body": {"text": "an object, not text"}}',
        b'{"title": 7, "body": "a number for a title"}',
        b"\xff\xfe not UTF-8",
        b'{"title": "Wombat summit", "body": "A wombat met the ministers in Canberra."}',
    ]
    upload = SimpleUploadedFile("feed.jsonl", b"\n".join(lines) + b"\n")
    with committed():
        response = superuser_client.post(
            reverse("admin:search_article_upload"), {"files": [upload]}
        )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.imported == 1
    assert [(problem.name, problem.reason.split(" (")[0]) for problem in report.failed] == [
        ("feed.jsonl:1", "invalid JSON"),
        ("feed.jsonl:2", "line is 300,012 bytes, over the 250,000-byte import limit"),
        ("feed.jsonl:3", 'no text: give "body"'),
        ("feed.jsonl:4", '"title", "url", "published" and "site" must be strings'),
        ("feed.jsonl:5", "not valid UTF-8"),
    ]
    assert "nested too deeply" in response.text
    assert len(found(q="wombat")) == 1
