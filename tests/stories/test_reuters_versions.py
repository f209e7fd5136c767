"""Real wire stories placed at import: corrections and first short reports join their story,
recurring items stay apart, and nothing joins a story through one member alone.

The Reuters records are in ``tests/fixtures/reuters/versions.jsonl`` (its README says what
each is; Reuters-21578, Distribution 1.0)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from search.models import Article
from search.stories import clusters
from search.stories.near_duplicates import Sent, are_versions, signature
from tests.story_data import import_records

VERSIONS = Path(__file__).parents[1] / "fixtures" / "reuters" / "versions.jsonl"
RECORDS = {r["newid"]: r for r in map(json.loads, VERSIONS.read_text().splitlines())}


def story_of(newid: int) -> int | None:
    return Article.objects.get(source_url=RECORDS[newid]["url"]).story_cluster


@pytest.fixture
def wire(db, tmp_path):
    import_records(tmp_path, sorted(RECORDS.values(), key=lambda r: r["newid"]))


@pytest.mark.parametrize(
    ("original", "correction"),
    [(12319, 12373), (6105, 6594), (2774, 2931), (6154, 6741), (7889, 8208)],
    ids=["gm-plants", "losses", "rewritten", "short-notice-no-key", "rewritten-no-key"],
)
def test_a_correction_joins_its_original(wire, original, correction):
    assert story_of(original) is not None
    assert story_of(original) == story_of(correction)


@pytest.mark.parametrize(("short", "full"), [(925, 1022), (9899, 9910)])
def test_a_first_short_report_joins_the_full_story_that_contains_it(wire, short, full):
    assert story_of(short) is not None and story_of(short) == story_of(full)


@pytest.mark.parametrize(
    "pair",
    [(10864, 15096), (12501, 15550), (12297, 12592)],
    ids=["fed-repurchases", "bank-of-france-unchanged", "prime-rates-of-two-banks"],
)
def test_recurring_items_stay_apart(wire, pair):
    first, second = map(story_of, pair)
    assert first is None or first != second


def sent(newid: int) -> Sent:
    record = RECORDS[newid]
    return Sent(record["title"], date.fromisoformat(record["published"]), "reuters")


def test_the_correction_rules_read_the_headline_date_and_source():
    original, correction = signature(RECORDS[2774]["body"]), signature(RECORDS[2931]["body"])
    assert not are_versions(original, correction)  # rewritten: not by the text alone
    assert are_versions(original, correction, sent=(sent(2774), sent(2931)))
    far_apart = Sent(RECORDS[2931]["title"], sent(2774).published.replace(month=5), "reuters")
    assert not are_versions(original, correction, sent=(sent(2774), far_apart))
    repurchases = [signature(RECORDS[n]["body"]) for n in (10864, 15096)]
    assert not are_versions(*repurchases, sent=(sent(10864), sent(15096)))


LEAD = (
    "The harbour board said on Monday that its container terminal would close for repairs "
    "after a crane collapsed during the night, and that ships would be sent to the old quay. "
    "Nobody was hurt, the board said, but two vessels waiting to unload were turned away and "
    "the night shift was sent home while engineers inspected the other cranes on the site. "
)
MIDDLE = "Repairs are expected to take three weeks, its chairman told reporters at the gate. "
TAIL = (
    "Dockers at the old quay voted to work extra shifts while the terminal stays shut, "
    "their union said, and the ferry company warned passengers of delays all month. "
    "Shipping agents said freight rates on the route had already risen by a tenth, and "
    "importers of fruit asked the board to give perishable cargo the first berths. "
)


def test_nothing_joins_a_story_through_one_member_alone(db, tmp_path):
    """A (lead, middle), then B (lead, middle, tail) holds A, then C (middle, tail) stands in
    B but shares little of A: a version of one member, not of the story's first article
    nor of most of its members, so it stays out."""
    texts = {
        "a": LEAD + MIDDLE,
        "b": LEAD + MIDDLE + TAIL,
        "c": MIDDLE + TAIL,
    }
    a, b, c = (signature(text) for text in texts.values())
    assert are_versions(a, b) and are_versions(b, c) and not are_versions(a, c)
    records = [
        {"title": name, "body": body, "url": f"https://w.example/{name}", "published": "2026-03-0"}
        for name, body in texts.items()
    ]
    for day, record in enumerate(records, start=1):
        record["published"] += str(day)
        import_records(tmp_path, [record])
    stories = {
        name: Article.objects.get(source_url=f"https://w.example/{name}").story_cluster
        for name in texts
    }
    assert stories["a"] is not None and stories["a"] == stories["b"]
    assert stories["c"] != stories["a"]


def test_an_editors_split_still_wins_over_a_correction(wire, tmp_path):
    correction = Article.objects.get(source_url=RECORDS[12373]["url"])
    clusters.split_from_stories(article_ids=[correction.pk])
    import_records(tmp_path, [{**RECORDS[12373], "url": "https://reuters.example/again"}])
    assert story_of(12373) is None
