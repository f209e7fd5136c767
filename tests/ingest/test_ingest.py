"""Importing: the seeds end to end (acceptance), idempotence, updates, bad files, evidence."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from django.core.management import call_command

from search.ingest import draft_writes, drafting, importing, recleaning
from search.ingest.sources import SourceProblem
from search.ingest.taxonomy import Taxonomy
from search.models import (
    Article,
    Minister,
    NearDuplicateSignature,
    PendingIndexChange,
    SourceLineCount,
    Topic,
)
from search.stories import clusters, near_duplicates

BOILERPLATE = [
    "POPULAR ARTICLE",
    "ACCESS RANKING",
    "Read More",
    "top of page",
    "bottom of page",
    "Comments are closed",
    "Shigeru Ishiba Elected Japan LDP President",
    "Mooncake Sales in China",
    "Takaichi Cabinet Approval Holds",
    "Govt Aims to Expand NISA Program",
    "Harris Widens Lead over Trump",
]
LAST_PARAGRAPHS = {
    "000": "(With inputs from ANI)",
    "001": "hosting the Indian delegations in Tokyo.",
    "002": "while addressing global and regional challenges.",
    "003": "the strengthening of supply chains.",
    "004": "export of Japanese defense equipment to India.",
}


def tagged(slug, model=Minister):
    return sorted(a.source_path[6:9] for a in model.objects.get(slug=slug).articles.all())


def test_seeds_import_five_clean_articles(seeded):
    assert Article.objects.count() == 5
    for key, article in seeded.items():
        for text in BOILERPLATE:
            assert text not in article.body, (key, text)
        assert "Comments" not in article.body.splitlines()
        assert article.body.rstrip().endswith(LAST_PARAGRAPHS[key]), key
        assert article.raw == Path(article.source_path).read_text(encoding="utf-8")
        assert article.removed or key == "001"


def test_seed_ministers(seeded):
    assert tagged("s-jaishankar") == ["000", "001", "002", "003", "004"]
    assert tagged("rajnath-singh") == ["000", "001", "002", "004"]
    assert tagged("yoko-kamikawa") == ["000", "002", "003", "004"]
    assert tagged("minoru-kihara") == ["000", "002", "004"]
    assert tagged("yoshimasa-hayashi") == ["001"]
    assert tagged("yasukazu-hamada") == ["001"]
    assert tagged("narendra-modi") == ["004"]
    for slug in ("shigeru-ishiba", "sanae-takaichi", "fumio-kishida"):
        assert tagged(slug) == []


def test_seed_years_and_topics(seeded):
    assert sorted(a.year for a in Article.objects.all()) == [2022, 2024, 2024, 2024, 2024]
    assert seeded["000"].published.isoformat() == "2024-08-20"
    assert seeded["001"].published.isoformat() == "2022-09-08"
    assert "published" in seeded["000"].manual_fields
    assert tagged("space", Topic) == ["002", "003", "004"]
    assert "003" not in tagged("china", Topic)


def test_seed_titles(seeded):
    assert seeded["003"].title.startswith("Japanese, Indian Foreign Ministers Meet in Tokyo")
    assert not seeded["003"].body.startswith("Japanese, Indian Foreign Ministers")
    assert seeded["002"].title.startswith("India-Japan")


def test_importing_twice_changes_nothing(seeded, capsys):
    before = {a.pk: (a.updated, a.body, a.title) for a in Article.objects.all()}
    call_command("load_seeds")
    assert "0 imported, 0 updated, 5 unchanged, 0 failed" in capsys.readouterr().out
    assert {a.pk: (a.updated, a.body, a.title) for a in Article.objects.all()} == before


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_changed_file_updates_its_article(tmp_path):
    source = write(tmp_path / "a.txt", "Ministers meet in Tokyo\nFirst version of the story.\n")
    assert importing.import_paths([source]).imported == 1
    write(source, "Ministers meet in Tokyo\nSecond version of the story.\n")
    report = importing.import_paths([source])
    assert (report.imported, report.updated) == (0, 1)
    assert Article.objects.get().body == "Second version of the story."


@pytest.mark.django_db
def test_a_bad_file_is_reported_and_the_rest_imports(tmp_path, capsys):
    write(tmp_path / "good.txt", "Good story headline here\nA good story.")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\x00")
    (tmp_path / "empty.html").write_bytes(b"")
    jsonl = tmp_path / "feed.jsonl"
    jsonl.write_text('{"title": "T", "body": "Body one.", "url": "https://x.org/1"}\n{oops\n')
    call_command("import_articles", str(tmp_path))
    out = capsys.readouterr().out
    assert "2 imported, 0 updated, 0 unchanged, 3 failed" in out
    assert "bad.txt: binary" in out and "empty.html: empty file" in out
    assert "feed.jsonl:2: invalid JSON" in out
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_a_document_whose_cleaning_crashes_fails_alone(tmp_path, monkeypatch):
    for n in range(3):
        write(tmp_path / f"{n}.txt", f"Headline number {n} today\nStory number {n}.")
    real = drafting.draft_article

    def crash_on_story_one(*, source, **kwargs):
        if "Story number 1." in source.raw:
            raise RuntimeError("power cut")
        return real(source=source, **kwargs)

    monkeypatch.setattr(drafting, "draft_article", crash_on_story_one)
    report = importing.import_paths([tmp_path])
    assert report.imported == 2
    assert report.failed == [
        SourceProblem(importing.display_path(tmp_path / "1.txt"), "import failed: power cut")
    ]
    monkeypatch.setattr(drafting, "draft_article", real)
    assert importing.import_paths([tmp_path]).imported == 1
    assert Article.objects.count() == 3


@pytest.mark.django_db
def test_an_article_whose_write_fails_fails_alone_and_the_batch_is_kept(tmp_path, monkeypatch):
    """A batch is one transaction: when its write fails, its articles are written one
    transaction each, so only the bad one is lost (and reported)."""
    for n in range(4):
        write(tmp_path / f"{n}.txt", f"Headline number {n} today\nStory number {n}.")
    real = draft_writes.write_imports

    def refuse_story_two(writes, **kwargs):
        if any(write.document.name.endswith("2.txt") for write in writes):
            raise RuntimeError("disk full")
        return real(writes, **kwargs)

    monkeypatch.setattr(draft_writes, "write_imports", refuse_story_two)
    report = importing.import_paths([tmp_path])
    assert (report.imported, [p.name.rsplit("/", 1)[-1] for p in report.failed]) == (3, ["2.txt"])
    assert "disk full" in report.failed[0].reason
    assert sorted(a.body for a in Article.objects.all()) == [
        "Story number 0.",
        "Story number 1.",
        "Story number 3.",
    ]
    assert PendingIndexChange.objects.count() == 3  # each written article queued for the index


@pytest.mark.django_db
def test_html_and_json_lines_import_with_metadata(tmp_path):
    html = """<html><head><title>Kihara visits Delhi | Example News</title>
    <meta property="article:published_time" content="2024-05-02T10:00:00Z"></head>
    <body><nav><a href="/">Home</a><a href="/world">World</a></nav>
    <article><h1>Kihara visits Delhi</h1>
    <p>Defence Minister Minoru Kihara arrived in New Delhi on Thursday for talks on maritime
    security with his Indian counterpart, officials said.</p>
    <p>The two sides discussed joint exercises and the export of defence equipment.</p>
    </article><aside class="related"><h3>Related</h3><ul><li><a href="/x">Ishiba wins</a></li>
    </ul></aside><footer>Copyright Example News</footer></body></html>"""
    write(tmp_path / "page.html", html)
    record = {
        "title": "Given title",
        "body": "Jaishankar spoke about space.",
        "url": "https://news.example/a",
        "published": "2023-03-04",
    }
    write(tmp_path / "feed.jsonl", json.dumps(record) + "\n")
    call_command("load_seeds", verbosity=0)  # the gazetteer
    importing.import_paths([tmp_path])
    page = Article.objects.get(source_path__endswith="page.html")
    assert page.title == "Kihara visits Delhi"
    assert page.published.isoformat() == "2024-05-02"
    assert "Ishiba" not in page.body and "Copyright" not in page.body
    assert [m.slug for m in page.ministers.all()] == ["minoru-kihara"]
    given = Article.objects.get(source_url="https://news.example/a")
    assert (given.title, given.year) == ("Given title", 2023)
    assert [t.slug for t in given.topics.all()] == ["space"]


@pytest.mark.django_db
def test_repeated_line_across_a_source_becomes_boilerplate_and_earlier_articles_are_recleaned(
    tmp_path, settings
):
    settings.NEWSROOM = {**settings.NEWSROOM, "REPEATED_LINE_MIN_ARTICLES": 3}
    promo = "Subscribe to the Daily Brief for our best stories"
    write(tmp_path / "SOURCE", "https://www.daily-brief.example/\n")  # the folder is one site
    for n in range(3):
        write(
            tmp_path / f"{n}.txt",
            f"Headline number {n} today\nStory {n} has its own sentence.\n{promo}\n",
        )
        importing.import_paths([tmp_path / f"{n}.txt"])
    for article in Article.objects.all():
        assert article.source_key == "daily-brief.example"
        assert promo not in article.body, article.source_path
        # in every article of the source so far: the site's wherever it stands
        assert {"text": promo, "reason": "sitewide-line"} in article.removed


@pytest.mark.django_db
def test_editor_keep_decision_survives_recleaning(tmp_path):
    write(tmp_path / "a.txt", "Ministers meet in Tokyo\nThe story.\nComments\n")
    importing.import_paths([tmp_path])
    article = Article.objects.get()
    assert "Comments" not in article.body
    article.cleaning_overrides = {"keep": ["Comments"]}
    article.save()
    recleaning.reclean_article(article, taxonomy=Taxonomy.load())
    assert article.body.endswith("Comments")


@pytest.mark.django_db
def test_reextraction_keeps_manual_fields(tmp_path):
    write(tmp_path / "a.txt", "Original headline\nKihara met Jaishankar in Tokyo.")
    call_command("load_seeds", verbosity=0)
    importing.import_paths([tmp_path / "a.txt"])
    article = Article.objects.get(source_path__endswith="a.txt")
    article.title = "Editor's title"
    article.manual_fields = ["title", "ministers"]
    article.save()
    article.ministers.set([Minister.objects.get(slug="narendra-modi")])
    recleaning.reclean_article(article, taxonomy=Taxonomy.load())
    article.refresh_from_db()
    assert article.title == "Editor's title"
    assert [m.slug for m in article.ministers.all()] == ["narendra-modi"]


@pytest.mark.django_db
def test_the_same_file_under_another_path_is_not_duplicated(tmp_path):
    story = "Ministers meet in Tokyo\nThe same story, uploaded twice.\n"
    write(tmp_path / "a.txt", story)
    (tmp_path / "again").mkdir()
    write(tmp_path / "again" / "a.txt", story)
    report = importing.import_paths([tmp_path])
    assert (report.imported, report.unchanged) == (1, 1)
    assert Article.objects.count() == 1


# A line shared by the dumps that only the archive's evidence makes boilerplate (no widget,
# prompt or copyright line, which the cleaner removes by their kind alone).
SHARED_LINE = "Night Desk Extra"


NAMES = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]


def story(n: int, *extra: str) -> str:
    return "\n".join(
        # The story's sentence has no figures: a line beside figures reads as a table's label.
        [f"Headline number {n} today", f"The {NAMES[n]} story has a sentence of its own.", *extra]
    )


@pytest.mark.django_db
def test_lines_shared_by_different_sites_in_one_folder_stay(tmp_path):
    """Three dumps of three sites saved in one folder: a line they share is no site's
    boilerplate. Three dumps of one site (its SOURCE file says so): it is."""
    mixed, one_site = tmp_path / "mixed", tmp_path / "one-site"
    mixed.mkdir()
    one_site.mkdir()
    write(one_site / "SOURCE", "Osprey Times\n")
    for n, site in enumerate(["Harbour Post", "Kite News", "Tern Daily"]):
        # The copyright line on top: beside the shared line, it would take that away with it.
        write(mixed / f"{n}.txt", f"© 2024 {site}\n" + story(n, SHARED_LINE))
        write(one_site / f"{n}.txt", story(n, SHARED_LINE))
    report = importing.import_paths([tmp_path])
    assert report.imported == 6
    for article in Article.objects.filter(source_path__contains="/mixed/"):
        assert SHARED_LINE in article.body
    assert sorted(set(Article.objects.values_list("source_key", flat=True))) == [
        "harbour post",
        "kite news",
        "osprey times",
        "tern daily",
    ]
    for article in Article.objects.filter(source_path__contains="/one-site/"):
        assert SHARED_LINE not in article.body
        assert {"text": SHARED_LINE, "reason": "sitewide-line"} in article.removed


def evidence_counts(source_key: str) -> dict[str, int]:
    texts = {drafting.line_hash(line): line for line in (SHARED_LINE, "Headline number 0 today")}
    rows = SourceLineCount.objects.filter(source_key=source_key)
    return {
        texts.get(row.line_hash, "other"): row.articles for row in rows if row.line_hash in texts
    }


@pytest.mark.django_db
def test_evidence_is_a_count_per_line_per_source_kept_through_updates_and_deletes(tmp_path):
    write(tmp_path / "SOURCE", "https://kite.example/")
    for n in range(4):
        write(tmp_path / f"{n}.txt", story(n, SHARED_LINE))
    importing.import_paths([tmp_path])
    # One row a distinct line of the source (4 headlines, 4 sentences, 1 shared line).
    assert SourceLineCount.objects.filter(source_key="kite.example").count() == 9
    assert evidence_counts("kite.example") == {SHARED_LINE: 4, "Headline number 0 today": 1}
    write(tmp_path / "0.txt", story(0))  # the widget is gone from this one
    assert importing.import_paths([tmp_path]).updated == 1
    assert evidence_counts("kite.example") == {SHARED_LINE: 3, "Headline number 0 today": 1}
    Article.objects.get(source_path__endswith="/0.txt").delete()
    assert evidence_counts("kite.example") == {SHARED_LINE: 3}
    Article.objects.filter(source_path__endswith="/1.txt").delete()  # a queryset delete too
    assert evidence_counts("kite.example") == {SHARED_LINE: 2}


@pytest.mark.django_db
def test_an_update_keeps_what_the_editor_set_by_hand(tmp_path):
    write(tmp_path / "a.txt", "Original headline\nKihara met Jaishankar in Tokyo.")
    call_command("load_seeds", verbosity=0)
    importing.import_paths([tmp_path / "a.txt"])
    article = Article.objects.get(source_path__endswith="a.txt")
    article.title, article.manual_fields = "Editor's title", ["title", "ministers"]
    article.save()
    article.ministers.set([Minister.objects.get(slug="narendra-modi")])
    write(tmp_path / "a.txt", "Original headline\nKihara met Jaishankar in Delhi, 2024-05-02.")
    assert importing.import_paths([tmp_path / "a.txt"]).updated == 1
    article.refresh_from_db()
    assert article.title == "Editor's title"
    assert article.body == "Kihara met Jaishankar in Delhi, 2024-05-02."
    assert [m.slug for m in article.ministers.all()] == ["narendra-modi"]
    assert sorted(t.slug for t in article.topics.all()) == []


@pytest.mark.django_db
def test_an_import_reads_no_fifo_and_no_link_out_of_its_folder(tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    write(outside / "secret.txt", "Secret headline here\nThe server's private keys are here.")
    folder = tmp_path / "import"
    folder.mkdir()
    write(folder / "story.txt", "Ministers meet in Tokyo\nA story to import.")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    os.mkfifo(folder / "pipe.jsonl")
    previous = signal.signal(signal.SIGALRM, lambda *args: pytest.fail("the import hung"))
    signal.alarm(30)
    try:
        call_command("import_articles", str(folder))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    out = capsys.readouterr().out
    assert "1 imported, 0 updated, 0 unchanged, 2 failed" in out
    assert "outside the import folder: not read" in out and "FIFO" in out
    assert list(Article.objects.values_list("body", flat=True)) == ["A story to import."]


@pytest.mark.django_db
def test_an_editor_corrects_a_folders_source_with_a_source_file(tmp_path):
    for n in range(3):
        write(tmp_path / f"{n}.txt", story(n, SHARED_LINE))
    importing.import_paths([tmp_path])  # no site named anywhere: each dump stands alone
    assert all(SHARED_LINE in article.body for article in Article.objects.all())
    write(tmp_path / "SOURCE", "https://www.osprey-times.example/\n")
    report = importing.import_paths([tmp_path])
    assert (report.updated, report.unchanged) == (3, 0)
    for article in Article.objects.all():
        assert article.source_key == "osprey-times.example"
        assert SHARED_LINE not in article.body
    assert evidence_counts("osprey-times.example")[SHARED_LINE] == 3
    assert not SourceLineCount.objects.exclude(source_key="osprey-times.example").exists()
    assert importing.import_paths([tmp_path]).unchanged == 3


@pytest.mark.django_db
def test_batches_drafted_in_workers_while_the_one_before_is_written(tmp_path, monkeypatch):
    """Each batch is drafted in the worker processes while the batch before it places its
    stories, knowing that batch's evidence. A batch whose stories cannot be placed is written
    one by one, and the batch prepared inside its failed transaction is prepared again."""
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    write(tmp_path / "SOURCE", "https://kite.example/")
    for n in range(8):
        write(tmp_path / f"{n}.txt", story(n, SHARED_LINE))
    real = clusters.place_signed

    def refuse_story_three(*, signatures):
        if Article.objects.filter(pk__in=signatures, source_path__endswith="/3.txt").exists():
            raise RuntimeError("disk full")
        return real(signatures=signatures)

    monkeypatch.setattr(clusters, "place_signed", refuse_story_three)
    report = importing.import_paths([tmp_path], processes=2)
    assert (report.imported, [p.name.rsplit("/", 1)[-1] for p in report.failed]) == (7, ["3.txt"])
    assert evidence_counts("kite.example") == {SHARED_LINE: 7, "Headline number 0 today": 1}
    articles = Article.objects.order_by("source_path")
    names = [article.source_path.rsplit("/", 1)[-1] for article in articles]
    assert names == [f"{n}.txt" for n in (0, 1, 2, 4, 5, 6, 7)]
    for name, article in zip(names, articles, strict=True):  # the first ones cleaned again
        assert article.body == f"The {NAMES[int(name[0])]} story has a sentence of its own."
        assert {"text": SHARED_LINE, "reason": "sitewide-line"} in article.removed


@pytest.mark.django_db
def test_the_same_article_twice_in_one_batch_is_imported_then_updated(tmp_path):
    first = {"title": "Kite talks", "body": "The first version.", "url": "https://kite.example/1"}
    second = {**first, "body": "The second version."}
    write(tmp_path / "feed.jsonl", f"{json.dumps(first)}\n{json.dumps(second)}\n")
    report = importing.import_paths([tmp_path])
    assert (report.imported, report.updated) == (1, 1)
    assert list(Article.objects.values_list("body", flat=True)) == ["The second version."]


HARBOUR_SIGNUP = "Harbour Post members read every edition"
HARBOUR_PLACES = ["Northgate", "the ferry pier", "Elm Row", "the old mill"]


def harbour_story(n: int) -> str:
    """A dump of one site: the site's sign-up line stands between two paragraphs."""
    place = HARBOUR_PLACES[n]
    return (
        f"Council reviews plans for {place}\n"
        f"The council met on Monday to review the plans for {place}, which residents have "
        f"asked about for many years, and heard from engineers about the cost of the work.\n"
        f"{HARBOUR_SIGNUP}\n"
        f"A final decision on {place} is expected before the summer, the council's chair "
        f"said, once the engineers have finished their survey of the ground and the drains.\n"
    )


@pytest.mark.django_db
def test_a_line_in_most_of_a_sources_articles_goes_even_inside_the_articles_text(tmp_path):
    write(tmp_path / "SOURCE", "Harbour Post\n")
    for n in range(4):
        write(tmp_path / f"{n}.txt", harbour_story(n))
    assert importing.import_paths([tmp_path]).imported == 4
    for article in Article.objects.all():
        assert HARBOUR_SIGNUP not in article.body
        assert {"text": HARBOUR_SIGNUP, "reason": "sitewide-line"} in article.removed
        assert "A final decision on" in article.body  # the paragraph after it stays


@pytest.mark.django_db
def test_a_line_in_a_few_wire_stories_stays_in_them(tmp_path):
    """Wire copy: a short data line three stories share is their text, not the wire's."""
    data_line = "Shr 12 cts vs 10 cts"
    write(tmp_path / "SOURCE", "Wire Desk\n")
    for n in range(8):
        extra = [data_line] if n < 3 else []
        write(tmp_path / f"{n}.txt", story(n, *extra, f"Net profit rose {n + 2} pct."))
    assert importing.import_paths([tmp_path]).imported == 8
    carriers = [a for a in Article.objects.all() if data_line in a.raw]
    assert len(carriers) == 3
    for article in carriers:
        assert data_line in article.body


@pytest.mark.django_db
def test_an_editors_recleaning_knows_the_sources_sitewide_lines(tmp_path):
    write(tmp_path / "SOURCE", "Harbour Post\n")
    for n in range(4):
        write(tmp_path / f"{n}.txt", harbour_story(n))
    importing.import_paths([tmp_path])
    article = Article.objects.order_by("pk").first()
    recleaning.reclean_article(article, taxonomy=Taxonomy.load())
    assert HARBOUR_SIGNUP not in article.body


@pytest.mark.django_db
def test_an_article_cleaned_again_by_new_evidence_is_compared_by_its_new_body(tmp_path):
    write(tmp_path / "SOURCE", "Harbour Post\n")
    for n in range(3):  # one import each: the third makes the sign-up line the site's
        importing.import_paths([write(tmp_path / f"{n}.txt", harbour_story(n))])
    first = Article.objects.order_by("pk").first()
    assert HARBOUR_SIGNUP not in first.body  # cleaned again
    stored = NearDuplicateSignature.objects.get(article=first).signature
    assert bytes(stored) == near_duplicates.signature(first.body).to_bytes()
