"""search.ingest.extraction: per-seed goldens, then one small test per rule (negatives included)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from search.ingest.cleaning import clean_text
from search.ingest.extraction import (
    MinisterSpec,
    TopicSpec,
    find_ministers,
    find_published,
    find_topics,
    html_published,
    html_published_by_rules,
    html_title,
    split_title,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = Path(__file__).parents[1] / "golden" / "extraction"
CURATION = json.loads((ROOT / "seeds" / "curation.json").read_text())
MINISTERS = tuple(
    MinisterSpec(m["slug"], (m["name"], *m["aliases"])) for m in CURATION["ministers"]
)
TOPICS = tuple(TopicSpec(t["slug"], tuple(t["keywords"])) for t in CURATION["topics"])

# STAND-IN for search.ingest.cleaning, which is written separately: cut each seed at its boilerplate
# tail and drop the two site-chrome lines, so these tests see roughly the clean body.
_BOILERPLATE_TAIL = re.compile(r"POPULAR ARTICLE|^\s*Comments\b|bottom of page")


def stand_in_clean(raw: str) -> str:
    kept = []
    for line in raw.splitlines():
        if _BOILERPLATE_TAIL.search(line):
            break
        if line.strip() == "top of page" or line.rstrip().endswith("- Read More"):
            continue
        if line.strip():
            kept.append(line.strip())
    return "\n\n".join(kept)


def extract(body: str) -> dict:
    title, rest = split_title(body)
    published = find_published(body)
    return {
        "title": title,
        "published": published.isoformat() if published else None,
        "ministers": sorted(find_ministers(rest, MINISTERS)),
        "topics": sorted(find_topics(rest, TOPICS)),
    }


# --- Seeds --------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name[:3])
def test_seed_matches_golden(seed: Path) -> None:
    golden = json.loads((GOLDEN / f"{seed.stem}.json").read_text())
    assert extract(stand_in_clean(seed.read_text())) == golden


def seed_slugs(field: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for seed in SEEDS:
        for slug in extract(stand_in_clean(seed.read_text()))[field]:
            found.setdefault(slug, set()).add(seed.name[:3])
    return found


def test_seed_ministers_as_the_editors_read_them() -> None:
    found = seed_slugs("ministers")
    assert found["s-jaishankar"] == {"000", "001", "002", "003", "004"}
    assert found["rajnath-singh"] == {"000", "001", "002", "004"}
    assert found["yoko-kamikawa"] == {"000", "002", "003", "004"}
    assert found["minoru-kihara"] == {"000", "002", "004"}
    assert found["yoshimasa-hayashi"] == found["yasukazu-hamada"] == {"001"}
    assert found["narendra-modi"] == {"004"}
    assert not {"shigeru-ishiba", "sanae-takaichi", "fumio-kishida"} & found.keys()


def test_seed_topics_as_the_editors_read_them() -> None:
    found = seed_slugs("topics")
    assert found["space"] == {"002", "003", "004"}  # 000 only says "cyber space"
    assert found["china"] == {"002", "004"}  # 003 names China only in its ranking list
    # 001 too: "We are also working together on cybersecurity, 5G deployment..."
    assert found["cyber-security"] == {"000", "001", "002", "003", "004"}


def test_lead_paragraph_stays_in_the_body() -> None:
    body = stand_in_clean(SEEDS[0].read_text())
    title, rest = split_title(body)
    assert rest == body
    assert len(title) <= 110 and title.endswith("…") and not title.startswith("NEW DELHI")


def test_headline_is_taken_out_of_the_body() -> None:
    title, rest = split_title(stand_in_clean(SEEDS[3].read_text()))
    assert title.startswith("Japanese, Indian Foreign Ministers Meet")
    assert rest.startswith("14:07 JST, March 8, 2024\n\nForeign Minister Yoko Kamikawa")


# --- split_title --------------------------------------------------------------------------------


def test_title_skips_a_place_line_and_a_dateline() -> None:
    body = "New Delhi\n\n14:07 JST, March 8, 2024\n\nModi meets Kishida in Tokyo\n\nThe two met."
    assert split_title(body) == (
        "Modi meets Kishida in Tokyo",
        "New Delhi\n\n14:07 JST, March 8, 2024\n\nThe two met.",
    )


def test_title_from_a_short_sentence_drops_its_period_and_keeps_the_body() -> None:
    body = "Mr. Modi met U.S. officials on Friday. They spoke for an hour.\n\nMore."
    assert split_title(body) == ("Mr. Modi met U.S. officials on Friday", body)


def test_title_of_a_long_paragraph_is_cut_at_a_word() -> None:
    body = "Ministers " + "discussed cooperation " * 20 + "today."
    title, rest = split_title(body)
    assert rest == body and len(title) <= 110 and title.endswith("…")
    assert body.startswith(title.removesuffix("…") + " ")


def test_empty_body_has_no_title() -> None:
    assert split_title("") == ("", "")
    assert split_title("\n\n  \n") == ("", "\n\n  \n")


# --- find_published -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:07 JST, March 8, 2024", datetime.date(2024, 3, 8)),
        ("On August 18, 2024, India and Japan held talks.", datetime.date(2024, 8, 18)),
        ("August 17, 2024", datetime.date(2024, 8, 17)),
        ("Posted 8 March 2024 by staff", datetime.date(2024, 3, 8)),
        ("on the 8th of March, 2024", datetime.date(2024, 3, 8)),
        ("Published 2024-08-20T10:15:00+05:30", datetime.date(2024, 8, 20)),
        ("TOKYO, Sept. 8, 2022 -", datetime.date(2022, 9, 8)),
        ("AUG 1ST 2024", datetime.date(2024, 8, 1)),
    ],
)
def test_date_formats(text: str, expected: datetime.date) -> None:
    assert find_published(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A first UN conference in the first half of 2025.",  # a bare year
        "The first talks since September 2022.",  # a month, no day
        "The 2+2 meeting of 2024 went well.",
        "Signed on February 30, 2024.",  # no such day
    ],
)
def test_no_date(text: str) -> None:
    assert find_published(text) is None


def test_a_dateline_near_the_top_beats_an_earlier_looking_date_later() -> None:
    body = "\n\n".join(["Headline here", "August 17, 2024", "a", "b", "c", "Signed March 1, 2008."])
    assert find_published(body) == datetime.date(2024, 8, 17)


def test_a_date_deep_in_the_body_is_the_fallback() -> None:
    body = "\n\n".join(["Title of it", "a", "b", "c", "d", "e", "The talks of March 1, 2008."])
    assert find_published(body) == datetime.date(2008, 3, 1)


# --- HTML ---------------------------------------------------------------------------------------


def page(head: str = "", body: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def test_html_title_prefers_og_title_then_h1_then_title() -> None:
    og = '<meta property="og:title" content="Talks &amp; ties">'
    assert html_title(page(og + "<title>T | Site</title>", "<h1>H</h1>")) == "Talks & ties"
    assert html_title(page("<title>T | Site</title>", "<h1> Big\n news </h1>")) == "Big news"
    assert html_title(page("<title>Japan and India meet | The Daily</title>")) == (
        "Japan and India meet"
    )


def test_html_title_trims_only_the_site_suffix() -> None:
    title = "<title>What the India–Japan 2+2 Means – Indo-Pacific Review</title>"
    assert html_title(page(title)) == "What the India–Japan 2+2 Means"
    assert html_title(page("<title>India-Japan talks - Delhi Wire</title>")) == "India-Japan talks"
    assert html_title(page("<title>Just a title</title>")) == "Just a title"


@pytest.mark.parametrize("html", ["", "   ", "<!-- nothing -->", page(), "plain text"])
def test_html_without_a_title(html: str) -> None:
    assert html_title(html) is None
    assert html_published(html) is None


def test_xhtml_with_an_encoding_declaration_parses() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?><html><head><title>Hi there</title></head></html>'
    assert html_title(html) == "Hi there"


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="article:published_time" content="2024-08-20T09:00:00+09:00">',
        '<meta property="og:published_time" content="2024-08-20">',
        '<meta name="date" content="2024-08-20">',
        '<meta name="pubdate" content="20 Aug 2024">',
        '<meta name="DC.date" content="2024-08-20Z">',
        '<meta itemprop="datePublished" content="2024-08-20 10:00">',
    ],
)
def test_html_published_from_meta(head: str) -> None:
    assert html_published(page(head)) == datetime.date(2024, 8, 20)


def test_html_published_keeps_the_publishers_day_not_utc() -> None:
    late = '<meta property="article:published_time" content="2024-08-20T23:30:00-05:00">'
    assert html_published(page(late)) == datetime.date(2024, 8, 20)


def test_html_published_from_time_element() -> None:
    assert html_published(page(body='<time datetime="2024-08-20">Tue</time>')) == datetime.date(
        2024, 8, 20
    )


@pytest.mark.parametrize(
    "json_ld",
    [
        '{"@type": "NewsArticle", "datePublished": "2024-08-20T07:30:00+00:00"}',
        '{"@graph": [{"@type": "WebPage"}, {"@type": "Article", "datePublished": "2024-08-20"}]}',
        '[{"@type": "BreadcrumbList"}, {"@type": "NewsArticle", "datePublished": "2024-08-20"}]',
    ],
)
def test_html_published_from_json_ld_only(json_ld: str) -> None:
    html = page(f'<script type="application/ld+json">{json_ld}</script>')
    assert html_published(html) == datetime.date(2024, 8, 20)


def test_malformed_json_ld_is_skipped_not_raised() -> None:
    broken = '<script type="application/ld+json">{"datePublished": "2024-08-20",</script>'
    assert html_published_by_rules(page(broken)) is None
    fallback = page(broken, '<time datetime="2024-08-21T10:00">x</time>')
    assert html_published(fallback) == datetime.date(2024, 8, 21)


def test_meta_beats_a_time_element() -> None:
    html = page(
        '<meta property="article:published_time" content="2024-08-20">',
        '<time datetime="2019-01-01">a related story</time>',
    )
    assert html_published(html) == datetime.date(2024, 8, 20)


# --- find_ministers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "S. Jaishankar said",
        "S Jaishankar said",
        "S.Jaishankar said",
        "Minister JAISHANKAR said",
        "Jaishankar’s visit",
        "Rajnath. Singh",
        "Rajnath  Singh",
        "Rajnath\nSingh",
        "Kihara's remarks",
        "Minoru Kihara",
        "Kihara Minoru",
        "Modi’s visit",
        "Modi's visit",
        "Jaïshankar, with an accent",
    ],
)
def test_minister_names_found(text: str) -> None:
    assert find_ministers(text, MINISTERS)


@pytest.mark.parametrize(
    "text",
    [
        "Singh stressed the partnership.",  # a surname the gazetteer does not give alone
        "Rajnath said",
        "The modified plan",  # not the word Modi
        "Narendra Modis",
        "Shigeru",
        "",
    ],
)
def test_minister_names_not_found(text: str) -> None:
    assert find_ministers(text, MINISTERS) == set()


def test_either_order_of_a_two_part_name_without_aliases() -> None:
    hamada = [MinisterSpec("yasukazu-hamada", ("Yasukazu Hamada",))]
    assert find_ministers("HAMADA Yasukazu, Minister of Defense", hamada) == {"yasukazu-hamada"}
    assert find_ministers("Hamada said", hamada) == set()


def test_accents_fold_both_ways() -> None:
    kono = [MinisterSpec("taro-kono", ("Tarō Kōno",))]
    assert find_ministers("Taro Kono spoke", kono) == {"taro-kono"}
    assert find_ministers("Tarô Kóno spoke", [MinisterSpec("kono", ("Taro Kono",))]) == {"kono"}


def test_a_name_shared_by_two_ministers_tags_both() -> None:
    two = [MinisterSpec("a", ("Hayashi",)), MinisterSpec("b", ("Hayashi", "Tom Hayashi"))]
    assert find_ministers("Hayashi spoke", two) == {"a", "b"}
    assert find_ministers("Tom Hayashi spoke", two) == {"b"}


def test_no_ministers_in_the_gazetteer() -> None:
    assert find_ministers("Jaishankar", []) == set()


# --- find_topics --------------------------------------------------------------------------------


def topics_of(text: str) -> set[str]:
    return find_topics(text, TOPICS)


def test_topic_hyphen_space_and_plural_variants() -> None:
    assert topics_of("cyber-security") == topics_of("Cyber Security") == {"cyber-security"}
    assert topics_of("the Indo Pacific") == {"indo-pacific-asean"}
    assert topics_of("high-speed railways") == {"infrastructure-high-speed-rail"}
    assert topics_of("people to people ties") == {"people-to-people"}
    assert topics_of("two satellites") == {"space"}


def test_topics_on_whole_words_only() -> None:
    assert topics_of("Russia Violates Airspace") == set()
    assert topics_of("a Quadrilateral meeting") == set()


def test_longest_keyword_takes_its_words_across_topics() -> None:
    assert topics_of("challenges in the cyber space") == {"cyber-security"}
    assert topics_of("Cyber-space and outer space") == {"cyber-security", "space"}
    assert topics_of("reform of the UN Security Council") == {"un-reform-multilateralism"}


def test_all_caps_keywords_are_case_sensitive() -> None:
    assert topics_of("Japan's ODA to India") == {"development-cooperation"}
    assert topics_of("the ODAs") == {"development-cooperation"}
    assert topics_of("oda") == topics_of("Oda Nobunaga") == set()
    assert topics_of("members of the G4") == {"un-reform-multilateralism"}
    assert topics_of("a g4 engine") == set()


def test_mixed_case_keywords_are_not() -> None:
    assert topics_of("RECAAP") == {"maritime-security"}
    assert topics_of("the quad") == {"indo-pacific-asean"}


def test_no_topics_in_the_taxonomy_or_the_text() -> None:
    assert find_topics("space", []) == set()
    assert topics_of("") == set()


# --- dates that belong to the article ------------------------------------------------------------

DUMPS = Path(__file__).parents[1] / "fixtures" / "dumps"


def test_a_text_dump_is_dated_by_its_byline_not_by_the_headers_today() -> None:
    raw = (DUMPS / "harbour_gazette_ferry.txt").read_text(encoding="utf-8")  # header: 4 Sept
    assert find_published(raw) == datetime.date(2025, 9, 2)
    assert find_published(clean_text(raw).body) == datetime.date(2025, 9, 2)


@pytest.mark.parametrize(
    "widget",
    [
        "Today is Thursday, March 12, 2026",
        "Lisbon 21°C Thursday, March 12, 2026",
        "Weather for March 12, 2026: sunny spells",
        "© March 12, 2026 Harbour Gazette Media",
        "Copyright 12 March 2026 Harbour Gazette",
    ],
)
def test_a_widget_or_copyright_date_does_not_date_the_article(widget: str) -> None:
    prose = "The council approved the budget after a long debate, officials said on Monday."
    assert find_published(f"{widget}\n{prose}") is None
    dated = f"{widget}\nCouncil approves budget\nBy Ana Reis | June 3, 2014\n{prose}"
    assert find_published(dated) == datetime.date(2014, 6, 3)


@pytest.mark.parametrize(
    "stamp", ["Last updated: March 12, 2026", "Updated 14:05, Thursday 12 March 2026"]
)
def test_an_updated_stamp_dates_the_article_only_when_no_other_date_does(stamp: str) -> None:
    prose = "The council approved the budget after a long debate, officials said on Monday."
    assert find_published(f"{stamp}\n{prose}") == datetime.date(2026, 3, 12)
    dated = f"Council approves budget\n{stamp}\nBy Ana Reis | June 3, 2014\n{prose}"
    assert find_published(dated) == datetime.date(2014, 6, 3)
    assert find_published(f"{prose}\nThe vote was on June 3, 2014.\n{stamp}") == datetime.date(
        2014, 6, 3
    )


def test_a_published_date_beats_the_updated_stamp_beside_it() -> None:
    assert find_published("Published 3 March 2024, updated 5 March 2024") == datetime.date(
        2024, 3, 3
    )


def test_the_date_line_nearest_the_paragraphs_beats_a_header_date_above_it() -> None:
    body = "\n".join(
        [
            "Thursday, 12 March 2026",  # the site's header
            "Council approves harbour budget",
            "Ana Reis",
            "3 June 2014",
            "The council approved the harbour budget after a long debate on Tuesday evening.",
        ]
    )
    assert find_published(body) == datetime.date(2014, 6, 3)


def test_lines_above_a_given_title_are_the_pages_header() -> None:
    prose = "The vote was held on June 3, 2014, after a long debate in the council chamber."
    body = f"Site Daily, June 9, 2014\nCouncil approves budget\n{prose}"
    assert find_published(body) == datetime.date(2014, 6, 9)
    assert find_published(body, title="Council approves budget") == datetime.date(2014, 6, 3)


def test_html_without_date_markup_is_dated_by_htmldate() -> None:
    body = (
        "<article><h1>Council approves budget</h1><p class='byline'>Published 2014-06-03</p>"
        "<p>The council approved the budget after a long debate.</p></article>"
    )
    assert html_published_by_rules(page(body=body)) is None
    assert html_published(page(body=body)) == datetime.date(2014, 6, 3)


def test_html_date_markup_beats_htmldate() -> None:
    head = '<meta property="article:published_time" content="2014-06-03">'
    body = "<p class='byline'>Published 2015-01-09</p>"
    assert html_published(page(head, body)) == datetime.date(2014, 6, 3)
