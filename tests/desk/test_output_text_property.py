"""Text that cannot break an output: whatever a title, a body, a saved search's name or its
words hold (control characters, lone surrogates, U+FFFF), every output still answers and
parses back: the Atom feed with an XML parser, the CSV, JSON Lines and RIS exports with their
readers, the API as JSON, the pages as UTF-8.

Two ways in: through the import and the saving service (which clean), and as rows written
before the cleaning existed (the outputs clean those themselves).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode

import pytest
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.desk import exports, saved_searches
from search.desk.citations import one_line
from search.ingest import importing
from search.models import Article, PendingIndexChange, SavedSearch
from search.operations import index_sync
from search.query import SearchQuery
from search.text import UNSAFE_CHARACTERS, strip_unsafe_characters
from tests.conftest import on_every_engine

ATOM = "{http://www.w3.org/2005/Atom}"
# The characters that broke outputs, often, among every other code point (surrogates too).
TROUBLE = "\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f\ud800\udfff\ufffe\uffff\t\n\r\u2028"
any_text = st.text(
    st.one_of(st.characters(exclude_categories=()), st.sampled_from(TROUBLE)), max_size=40
)
# What a database row can hold at all: a lone surrogate cannot be encoded for it.
storable_text = st.text(
    st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(TROUBLE[:12])),
    max_size=40,
)
# An article's example imports, indexes and downloads every output (~0.3 s): fewer of them.
examples = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
article_examples = settings(examples, max_examples=30)


BACKGROUND = "Nothing to see."  # the body of an article no search here finds


@pytest.fixture
def archive(search_engine_name, db, settings):
    """An archive of one article and its index, and exports without the hourly limit."""
    settings.NEWSROOM = {**settings.NEWSROOM, "EXPORTS_PER_CLIENT_PER_HOUR": 100_000}
    Article.objects.create(title="Background", body=BACKGROUND, raw=BACKGROUND)
    index_sync.rebuild_index()


def start_afresh() -> None:
    """Only the background article left (each example's articles are its own)."""
    # Whoosh names new segments with the random module, which Hypothesis seeds alike for
    # every example: the second example's segment would take the first one's name.
    random.seed()
    Article.objects.exclude(body=BACKGROUND).delete()
    SavedSearch.objects.all().delete()
    index_sync.process_pending()


def xml_text(text: str) -> str:
    """What an XML parser reads back: every line end becomes \\n (XML 1.0, 2.11)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def download(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response
    return b"".join(response.streaming_content).decode("utf-8")


def read_ris(text: str) -> list[dict[str, list[str]]]:
    """A small RIS reader: every line is a tag line; TY opens a record and ER closes it."""
    records, record = [], None
    for line in text.split("\r\n")[:-1]:
        match = re.fullmatch(r"([A-Z][A-Z0-9])  -( (.*))?", line)
        assert match, f"not a RIS tag line: {line!r}"
        tag, value = match.group(1), match.group(3) or ""
        if tag == "TY":
            assert record is None
            record = {}
        elif tag == "ER":
            records.append(record)
            record = None
            continue
        record.setdefault(tag, []).append(value)
    assert record is None and text.endswith("\r\n")
    return records


def feed_of(client, saved: SavedSearch) -> ET.Element:
    response = client.get(f"/s/{saved.slug}/feed/")
    assert response.status_code == 200, response.content
    return ET.fromstring(response.content)  # expat: refuses anything XML 1.0 forbids


def assert_every_output_carries(client, article: Article, title: str) -> None:
    """Each output answers, parses, and carries ``title`` as the article's title (the API as
    the row holds it: JSON escapes any character)."""
    oilfield = SavedSearch.objects.create(
        name="Oilfield", slug=f"oil{article.pk}", query_string="q=oilfield"
    )
    entries = feed_of(client, oilfield).findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [xml_text(title)]

    rows = list(csv.reader(io.StringIO(download(client, "/export.csv?q=oilfield"), newline="")))
    assert rows[0][0] == "title" and [row[0] for row in rows[1:]] == [exports.csv_cell(title)]

    lines = download(client, "/export.jsonl?q=oilfield").splitlines()
    assert [json.loads(line)["title"] for line in lines] == [title]

    records = read_ris(download(client, "/export.ris?q=oilfield"))
    assert [record["TI"] for record in records] == [[one_line(title)]]
    cited = read_ris(client.get(f"/articles/{article.pk}/cite.ris").content.decode("utf-8"))
    assert cited == [{tag: v for tag, v in records[0].items() if tag != "AB"}]  # no snippet

    hits = json.loads(client.get("/api/search?q=oilfield").content)["hits"]
    assert [hit["title"] for hit in hits] == [article.title]
    assert json.loads(client.get(f"/api/articles/{article.pk}").content)["title"] == article.title
    page = client.get(f"/articles/{article.pk}/")
    assert page.status_code == 200 and page.content.decode("utf-8")


@article_examples
@given(title=any_text, body=any_text)
def test_an_imported_article_of_any_text_reaches_every_output(
    client, archive, tmp_path, title, body
):
    start_afresh()
    record = {"url": f"https://example.org/{uuid.uuid4().hex}", "title": title}
    record["body"] = f"Oilfield report. {body}"  # some text survives the cleaning
    source = tmp_path / "feed.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")  # surrogates as \udXXX
    report = importing.import_paths([source])
    assert report.imported == 1, report.summary()
    index_sync.process_pending()  # the import leaves it to the commit, which a test never sees
    article = Article.objects.exclude(body=BACKGROUND).get()
    for text in (article.title, article.body, article.raw):
        assert not UNSAFE_CHARACTERS.search(text)
    assert_every_output_carries(client, article, article.title)


@article_examples
@given(title=storable_text, body=storable_text)
def test_a_row_written_before_the_cleaning_still_reaches_every_output(client, archive, title, body):
    start_afresh()
    article = Article.objects.create(title=title, body=f"Oilfield {body}", raw=body)
    index_sync.process_pending()
    assert_every_output_carries(client, article, strip_unsafe_characters(title))


@examples
@given(name=any_text, words=any_text)
def test_a_saved_search_of_any_name_and_words_has_a_feed_and_a_listing(
    client, archive, name, words
):
    query = SearchQuery.from_params(MultiValueDict({"q": [words]}))
    assert query.q == strip_unsafe_characters(words)
    saved = saved_searches.saved_search_create(
        name=name, search_query=query, client=uuid.uuid4().hex[:16]
    )
    saved.refresh_from_db()
    assert saved.name == strip_unsafe_characters(name).strip()
    assert saved_searches.saved_search_query(saved).q.strip() == query.q.strip()
    feed = feed_of(client, saved)
    assert feed.findtext(f"{ATOM}title") == xml_text(f"{saved.name} · Newsroom")
    assert client.get("/saved/").status_code == 200
    assert client.get(f"/api/search?q={quote(words, errors='surrogatepass')}").status_code == 200


@examples
@given(name=storable_text, words=storable_text)
def test_a_saved_search_stored_before_the_cleaning_still_has_a_feed(client, archive, name, words):
    SavedSearch.objects.all().delete()
    saved = SavedSearch.objects.create(
        name=name, slug="old00001", query_string=urlencode({"q": words})
    )
    feed = feed_of(client, saved)
    assert feed.findtext(f"{ATOM}title") == xml_text(f"{strip_unsafe_characters(name)} · Newsroom")


@on_every_engine
def test_words_and_slugs_with_control_characters_answer_on_every_engine(client, archive):
    # PostgreSQL refuses a NUL in any parameter: it used to reach it from the URL.
    Article.objects.create(title="Oil prices", body="Oil rose.", raw="")
    index_sync.process_pending()
    for url in ("/?q=oil%00&minister=x%00", "/export.jsonl?q=oil%0B&topic=%00"):
        assert client.get(url).status_code == 200
    hits = json.loads(client.get("/api/search?q=%00oil&minister=%01").content)["hits"]
    assert [hit["title"] for hit in hits] == ["Oil prices"]


# The cases, one by one.


def test_a_saved_search_named_with_control_characters_answers_its_feed(client, archive):
    saved = SavedSearch.objects.create(
        name="a\x00b\x01c", slug="ctrl0001", query_string=urlencode({"q": "oil\x0b"})
    )
    feed = feed_of(client, saved)
    assert feed.findtext(f"{ATOM}title") == "abc · Newsroom"
    assert feed.findtext(f"{ATOM}subtitle") == "The newest articles matching “oil”."


def test_saving_such_a_search_stores_it_without_them(client, archive):
    response = client.post("/saved/new/", {"name": "a\x00b\x01c", "query_string": "q=oil%0B"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert (saved.name, saved.query_string) == ("abc", "q=oil")
    assert feed_of(client, saved).findtext(f"{ATOM}title") == "abc · Newsroom"


def test_an_imported_article_with_a_nul_in_its_body_is_in_the_feeds(client, archive, tmp_path):
    source = tmp_path / "feed.jsonl"
    record = {"url": "https://example.org/1", "title": "Oil\x01 prices", "body": "Oil\x00 rose."}
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert importing.import_paths([source]).imported == 1
    index_sync.process_pending()
    article = Article.objects.exclude(body=BACKGROUND).get()
    assert (article.title, article.body, article.raw) == ("Oil prices", "Oil rose.", "Oil rose.")
    oil = SavedSearch.objects.create(name="Oil", slug="oil00001", query_string="q=oil")
    entries = feed_of(client, oil).findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Oil prices"]


def test_a_stored_article_with_a_nul_in_its_body_is_in_the_feeds(client, archive):
    Article.objects.create(title="Oil\x0b prices", body="Oil\x00 rose\x1b fast.", raw="")
    index_sync.process_pending()
    assert not PendingIndexChange.objects.exists()
    oil = SavedSearch.objects.create(name="Oil", slug="oil00001", query_string="q=oil")
    [entry] = feed_of(client, oil).findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Oil\n prices"
    assert entry.findtext(f"{ATOM}summary") == "Oil rose fast."


def test_a_line_separator_in_a_title_does_not_split_its_json_line(client, archive):
    Article.objects.create(title="Oil\u2028prices\u2029", body="Oilfield report.", raw="")
    index_sync.process_pending()
    lines = download(client, "/export.jsonl?q=oilfield").splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["Oil\u2028prices\u2029"]
