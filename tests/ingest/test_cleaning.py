"""search.ingest.cleaning: per-seed goldens, then one small test per rule (negatives included),
then HTML.

Regenerate the seed goldens after an intended change, then read the diff line by line:
    .venv/bin/python -m tests.ingest.test_cleaning --regen
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest
import trafilatura

from search.ingest import cleaning, cleaning_html
from search.ingest.cleaning import CleanedText, RemovedBlock, clean_html, clean_text, text_lines

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = Path(__file__).parents[1] / "golden" / "cleaning"
PAGES = sorted((Path(__file__).parents[1] / "fixtures" / "html").glob("*.html"))
ARTICLE = "Ministers meet in Tokyo\nThe two ministers met on Tuesday and agreed to work together."


def paragraphs(cleaned: CleanedText) -> list[str]:
    return cleaned.body.split("\n\n") if cleaned.body else []


def reasons(cleaned: CleanedText) -> dict[str, str]:
    return {block.text: block.reason for block in cleaned.removed}


def word_f1(got: str, expected: str) -> float:
    """Bag-of-words F1 of two texts (lower-cased word tokens)."""
    got_words, expected_words = (Counter(re.findall(r"\w+", t.lower())) for t in (got, expected))
    overlap = sum((got_words & expected_words).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(got_words.values())
    recall = overlap / sum(expected_words.values())
    return 2 * precision * recall / (precision + recall)


def expected_text(page: Path) -> str:
    return page.with_name(f"{page.stem}.expected.txt").read_text(encoding="utf-8")


def removed_golden(cleaned: CleanedText) -> str:
    return "".join(f"{block.reason}\t{block.text}\n" for block in cleaned.removed)


def regenerate_goldens() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS:
        cleaned = clean_text(seed.read_text(encoding="utf-8"))
        (GOLDEN / f"{seed.stem}.body.txt").write_text(cleaned.body + "\n", encoding="utf-8")
        (GOLDEN / f"{seed.stem}.removed.txt").write_text(removed_golden(cleaned), encoding="utf-8")


# --- seeds ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: seed.stem[:3])
def test_seed_matches_golden(seed):
    cleaned = clean_text(seed.read_text(encoding="utf-8"))
    assert cleaned.body + "\n" == (GOLDEN / f"{seed.stem}.body.txt").read_text(encoding="utf-8")
    golden_removed = (GOLDEN / f"{seed.stem}.removed.txt").read_text(encoding="utf-8")
    assert removed_golden(cleaned) == golden_removed


LAST_PARAGRAPHS = {
    "000": "he said. (With inputs from ANI)",
    "001": "hosting the Indian delegations in Tokyo.",
    "002": "while addressing global and regional challenges.",
    "003": "mentioning issues such as the development of the Global South and the strengthening "
    "of supply chains.",
    "004": "such topics as the export of Japanese defense equipment to India.",
}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: seed.stem[:3])
def test_seed_keeps_its_last_paragraph_and_loses_the_boilerplate(seed):
    body = clean_text(seed.read_text(encoding="utf-8")).body
    assert body.endswith(LAST_PARAGRAPHS[seed.stem[:3]])
    for boilerplate in ("POPULAR ARTICLE", "ACCESS RANKING", "Read More", "top of page"):
        assert boilerplate not in body
    for headline in ("Shigeru Ishiba Elected", "Mooncake Sales", "Takaichi Cabinet Approval"):
        assert headline not in body
    assert "Comments" not in body.split("\n\n") and "Comments are closed" not in body


def test_seed_subheads_dateline_and_first_line_are_kept():
    by_stem = {seed.stem[:3]: clean_text(seed.read_text(encoding="utf-8")) for seed in SEEDS}
    assert {"Key Highlights", "- Indo-Pacific Cooperation:", "Statements from Leaders"} <= set(
        paragraphs(by_stem["002"])
    )
    assert paragraphs(by_stem["003"])[1] == "14:07 JST, March 8, 2024"
    assert paragraphs(by_stem["001"])[2] == "New Delhi"
    assert paragraphs(by_stem["003"])[0].startswith("Japanese, Indian Foreign Ministers Meet")


# --- normalising --------------------------------------------------------------------------------


def test_normalise_line_collapses_whitespace_and_keeps_unicode():
    assert (
        cleaning.normalise_line("  Bilateral\u00a0Talks \t “quoted”  ")
        == "Bilateral Talks “quoted”"
    )


def test_each_line_is_a_paragraph_and_blank_lines_collapse():
    cleaned = clean_text("Headline here\r\n\r\n\r\n  First   paragraph.\u00a0\n\nSecond one.\n")
    assert cleaned == CleanedText("Headline here\n\nFirst paragraph.\n\nSecond one.", ())


@pytest.mark.parametrize("raw", ["", "   \n\n\t", "\ufeff"])
def test_empty_input_gives_an_empty_body(raw):
    assert clean_text(raw) == CleanedText("", ())
    assert clean_html(raw) == CleanedText("", ())


# --- one rule at a time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line", ["top of page", "Bottom of Page", "Back to top ↑", "↑ Back to top", "Skip to content"]
)
def test_page_markers_are_removed(line):
    assert reasons(clean_text(f"{ARTICLE}\n{line}")) == {line: "page-marker"}


@pytest.mark.parametrize(
    "line",
    [
        "JAPAN's HOMETOWN TAX DONATIONS PASSES 1 Trillion - Read More",
        "Read more »",
        "READ ALSO: Quad summit in India likely to be postponed",
        "Continue reading",
        "The minister flew to Delhi… Read more",
    ],
)
def test_read_more_promos_are_removed(line):
    assert reasons(clean_text(f"{ARTICLE}\n{line}\nThe talks will resume in May.")) == {
        line: "read-more-promo"
    }


def test_newsletter_promos_are_removed():
    line = "Get the Tech Briefing in your inbox every Thursday. Sign up here."
    assert reasons(clean_text(f"{ARTICLE}\n{line}")) == {line: "newsletter-promo"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials said citizens should read more about the plan - and soon.",
        "Read more widely, the minister urged students at the university.",
        "The ministry’s comments drew criticism from the opposition.",
        "Readers left many comments on the newsletter, which now has 10,000 subscribers.",
        "It was top of the page in every newspaper the next morning.",
    ],
)
def test_article_sentences_that_merely_mention_a_rule_word_are_kept(sentence):
    assert clean_text(f"{ARTICLE}\n{sentence}\nThe end of the story.").removed == ()


@pytest.mark.parametrize(
    "marker", ["Comments", "Comments (3)", "Comments are closed.", "Leave a comment", "Add comment"]
)
def test_a_comments_marker_near_the_end_goes_with_everything_after_it(marker):
    raw = f"{ARTICLE}\nA second paragraph of the story.\n{marker}\nGreat article!\nkenji_t"
    cleaned = clean_text(raw)
    assert paragraphs(cleaned)[-1] == "A second paragraph of the story."
    assert set(reasons(cleaned).values()) == {"comments-footer"}


def test_a_comments_line_early_in_the_text_is_kept():
    body = " ".join(["The ministers spoke at length about cooperation."] * 20)
    assert clean_text(f"Headline of the story\nComments\n{body}").removed == ()


@pytest.mark.parametrize(
    "marker",
    [
        '"Politics" POPULAR ARTICLE',
        "JN ACCESS RANKING",
        "Most read",
        "Most Popular",
        "Related articles",
        "Recommended",
        "Trending now",
        "Also read",
        "More from Politics",
        "“World” Most Viewed",
    ],
)
def test_a_ranking_marker_and_its_list_of_headlines_are_removed(marker):
    headlines = "-\nJapan pulls out of Vietnam nuclear project\n-\nYen slides past 150 again"
    cleaned = clean_text(f"{ARTICLE}\n{marker}\n{headlines}")
    assert cleaned.body == ARTICLE.replace("\n", "\n\n")
    assert [block.reason for block in cleaned.removed] == ["ranking-list"] * 5


def test_a_ranking_list_of_bulleted_lines_ends_at_the_next_prose_paragraph():
    raw = (
        f"{ARTICLE}\nMost read\n- Typhoon nears Kyushu\n- Nikkei rebounds\nThe talks resume in May."
    )
    assert paragraphs(clean_text(raw))[-1] == "The talks resume in May."
    assert len(clean_text(raw).removed) == 3


def test_a_lone_marker_line_before_prose_is_a_subhead_and_kept():
    raw = f"{ARTICLE}\nTrending\nThe yen has fallen for the fifth day in a row, traders said."
    assert clean_text(raw).removed == ()


def test_a_run_of_headlines_at_the_end_goes_even_without_a_marker():
    run = [
        "Japan Scrambles Fighter Aircraft After Russia Violates Airspace",
        "-",
        "Typhoon Bebinca Could Approach Southern Japan In Days",
        "- Japan-S. Korea Exchange Festival Held in Seoul",
    ]
    cleaned = clean_text("\n".join([ARTICLE, *run]))
    assert cleaned.body == ARTICLE.replace("\n", "\n\n")
    assert cleaned.removed == tuple(RemovedBlock(line, "ranking-list") for line in run)


def test_two_title_case_lines_at_the_end_are_not_a_list():
    raw = f"{ARTICLE}\nStrategic Importance Of The Dialogue\nPhoto Courtesy Of The Ministry"
    assert clean_text(raw).removed == ()


def test_subheads_and_bulleted_subheads_inside_the_article_are_kept():
    raw = (
        "India and Japan Hold Talks\n14:07 JST, March 8, 2024\nKey Highlights\n"
        "- Indo-Pacific Cooperation:\nBoth nations reaffirmed their dedication to the region.\n"
        "- Security and Defense:\nThe dialogue stressed strengthened security collaboration."
    )
    assert clean_text(raw).removed == ()


def test_repeated_lines_are_removed_after_normalising():
    promo = "Subscribe to the Daily Brief for our best stories"
    spaced = promo.replace(" ", "\u00a0 ")
    cleaned = clean_text(f"{ARTICLE}\n  {spaced}", repeated_lines={f" {promo}"})
    assert cleaned.removed == (RemovedBlock(promo, "repeated-line"),)


# reason -> (text, the line that rule removes, repeated_lines)
RULE_EXAMPLES = {
    "page-marker": (f"{ARTICLE}\ntop of page", "top of page", ()),
    "read-more-promo": (f"{ARTICLE}\nTax Donations Pass 1 Trillion - Read More", None, ()),
    "newsletter-promo": (
        f"{ARTICLE}\nOur newsletter lands in your inbox. Subscribe now.",
        None,
        (),
    ),
    "comments-footer": (f"{ARTICLE}\nComments", None, ()),
    "ranking-list": (f"{ARTICLE}\nMost read\nYen slides past 150 again", "Most read", ()),
    "repeated-line": (f"{ARTICLE}\nThe Japan News Daily", None, ["The Japan News Daily"]),
}


@pytest.mark.parametrize("reason", RULE_EXAMPLES)
def test_a_kept_line_beats_every_rule(reason):
    raw, line, repeated = RULE_EXAMPLES[reason]
    line = line or raw.splitlines()[-1]
    assert reasons(clean_text(raw, repeated_lines=repeated))[line] == reason
    cleaned = clean_text(raw, repeated_lines=repeated, keep_lines=[line])
    assert line in paragraphs(cleaned) and line not in reasons(cleaned)


def test_a_kept_headline_stays_and_the_rest_of_its_list_goes():
    run = ["Japan Scrambles Fighter Aircraft", "Typhoon Could Approach Southern Japan"]
    raw = "\n".join([ARTICLE, *run, "Exchange Festival Held in Seoul"])
    assert len(clean_text(raw).removed) == 3
    cleaned = clean_text(raw, keep_lines=run[-1:])
    assert paragraphs(cleaned)[-1] == run[-1] and len(cleaned.removed) == 2


def test_dropped_lines_are_removed_even_from_the_article_and_beat_repeated_lines():
    sentence = "The two ministers met on Tuesday and agreed to work together."
    cleaned = clean_text(ARTICLE, repeated_lines=[sentence], drop_lines=[f" {sentence}"])
    assert cleaned.removed == (RemovedBlock(sentence, "editor-drop"),)


def test_removed_blocks_come_in_input_order():
    raw = f"top of page\n{ARTICLE}\nRead more »\nSecond paragraph.\nComments\nbottom of page"
    assert [block.text for block in clean_text(raw).removed] == [
        "top of page",
        "Read more »",
        "Comments",
        "bottom of page",
    ]


def test_text_lines_are_distinct_normalised_and_in_order():
    assert text_lines("B  line\n\nA line\nB line\n", "txt") == ["B line", "A line"]
    html = "<body><p>One <b>two</b></p><script>x()</script><p>Three<br>Four</p><p>One two</p>"
    assert text_lines(html, "html") == ["One two", "Three", "Four"]
    assert text_lines("Header\nOne\n\f\nHeader\nTwo", "pdf") == ["Header", "One", "Two"]
    with pytest.raises(ValueError, match="raw_format"):
        text_lines("x", "docx")


# --- HTML -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_html_article_text_reaches_word_f1_of_0_9(page):
    cleaned = clean_html(page.read_text(encoding="utf-8"))
    assert word_f1(cleaned.body, expected_text(page)) >= 0.9


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_the_fallback_alone_still_finds_the_article(page, monkeypatch):
    monkeypatch.setattr(cleaning_html.trafilatura, "extract", lambda *args, **kwargs: None)
    cleaned = clean_html(page.read_text(encoding="utf-8"))
    assert word_f1(cleaned.body, expected_text(page)) >= 0.85


def test_a_page_where_trafilatura_misses_the_article_gets_it_from_the_fallback():
    page = next(page for page in PAGES if page.stem == "ministry_press_statement")
    raw = page.read_text(encoding="utf-8")
    sentence = "Special Strategic and Global Partnership"
    assert sentence not in (trafilatura.extract(raw, include_comments=False) or "")
    assert sentence in clean_html(raw).body


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_script_and_style_content_never_reaches_the_body_or_removed(page):
    raw = page.read_text(encoding="utf-8")
    cleaned = clean_html(raw)
    texts = [cleaned.body, *(block.text for block in cleaned.removed)]
    for code in ("function", "window.", "googletag", "var ", "{", "@context"):
        assert not any(code in text for text in texts), code


def test_script_inside_the_article_is_not_article_text():
    body = "".join(f"<p>The ministers met on day {n} and talked about trade.</p>" for n in range(5))
    raw = f"<html><body><article><h1>Talks</h1>{body}<script>track('read more')</script></article>"
    assert "track" not in clean_html(raw).body


def test_html_removed_lists_the_pages_other_blocks_with_reasons():
    page = next(page for page in PAGES if page.stem == "delhi_wire_defence")
    cleaned = clean_html(page.read_text(encoding="utf-8"))
    removed = reasons(cleaned)
    promo = "READ ALSO: Quad summit in India likely to be postponed to next year"
    assert removed[promo] == "read-more-promo"
    assert removed["Most Read"] == removed["Advertisement"] == "non-article-html"
    assert not set(removed) & set(paragraphs(cleaned))


def test_html_keep_lines_put_a_left_out_block_back_in_page_order():
    page = next(page for page in PAGES if page.stem == "tokyo_herald_2plus2")
    raw = page.read_text(encoding="utf-8")
    caption = next(text for text in reasons(clean_html(raw)) if text.startswith("Foreign Minister"))
    kept = paragraphs(clean_html(raw, keep_lines=[caption]))
    assert kept.index(caption) > kept.index("18:42 JST, August 20, 2024")
    assert kept[kept.index(caption) + 1].startswith("NEW DELHI")


def test_html_drop_and_repeated_lines_apply_to_the_extracted_paragraphs():
    page = next(page for page in PAGES if page.stem == "indopacific_review_blog")
    raw = page.read_text(encoding="utf-8")
    subhead, last = "Three takeaways", paragraphs(clean_html(raw))[-1]
    cleaned = clean_html(raw, drop_lines=[subhead], sitewide_lines=[last])
    assert (reasons(cleaned)[subhead], reasons(cleaned)[last]) == ("editor-drop", "sitewide-line")
    assert subhead not in paragraphs(cleaned) and last not in paragraphs(cleaned)


def test_html_headline_and_dateline_lead_the_body():
    page = next(page for page in PAGES if page.stem == "delhi_wire_defence")
    lead = paragraphs(clean_html(page.read_text(encoding="utf-8")))[:2]
    assert lead == [
        "India, Japan sign pact on defence equipment; Navy antennas deal first",
        "PTI | Updated: Aug 21, 2024, 09:15 IST",
    ]


if __name__ == "__main__":
    if sys.argv[1:] != ["--regen"]:
        sys.exit("usage: python -m tests.ingest.test_cleaning --regen")
    regenerate_goldens()
