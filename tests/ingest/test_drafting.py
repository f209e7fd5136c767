"""Drafting: a source document -> plain values, the same in this process and in workers."""

from __future__ import annotations

import datetime

from search.ingest.cleaning import RemovedBlock
from search.ingest.drafting import ArticleDraft, DraftInput, TagRules, draft_article, evidence_lines
from search.ingest.extraction import MinisterSpec, TopicSpec
from search.ingest.parallel import Drafter, DraftFailed
from search.stories import near_duplicates

RULES = TagRules(
    ministers=(MinisterSpec("minoru-kihara", ("Minoru Kihara", "Kihara")),),
    topics=(TopicSpec("space", ("space", "satellite")),),
)
PROMO = "Subscribe to the Daily Brief for our best stories"
DUMP = f"Kihara visits Delhi\nMinoru Kihara spoke about a satellite launch.\n{PROMO}\nRead More\n"


def test_a_draft_holds_the_clean_text_what_was_removed_and_why_and_the_tags():
    draft = draft_article(
        source=DraftInput(raw=DUMP, raw_format="txt", given_published=datetime.date(2024, 5, 2)),
        repeated_lines=[PROMO],
        rules=RULES,
    )
    assert draft == ArticleDraft(
        title="Kihara visits Delhi",
        body="Minoru Kihara spoke about a satellite launch.",
        published=datetime.date(2024, 5, 2),
        removed=(
            RemovedBlock(PROMO, "repeated-line"),
            RemovedBlock("Read More", "read-more-promo"),
        ),
        minister_slugs=frozenset({"minoru-kihara"}),
        topic_slugs=frozenset({"space"}),
    )


def test_what_an_editor_set_by_hand_stands_and_tags_are_read_from_it():
    source = DraftInput(
        raw=DUMP,
        raw_format="txt",
        keep_lines=(PROMO,),
        hand_title="An editor's title",
        hand_body="A body without names, written by hand.",
    )
    draft = draft_article(source=source, repeated_lines=[PROMO], rules=RULES)
    assert (draft.title, draft.body) == ("An editor's title", source.hand_body)
    assert draft.minister_slugs == draft.topic_slugs == frozenset()
    assert draft.removed == (RemovedBlock("Read More", "read-more-promo"),)


def test_evidence_is_the_short_distinct_lines_by_hash():
    lines = evidence_lines(f"{DUMP}{PROMO}\n{'A long paragraph. ' * 20}", "txt")
    assert sorted(lines.values()) == sorted(
        ["Kihara visits Delhi", PROMO, "Read More"]
        + ["Minoru Kihara spoke about a satellite launch."]
    )
    assert all(len(digest) == 16 for digest in lines)


def test_worker_processes_draft_what_this_process_drafts():
    jobs = [
        (DraftInput(raw=DUMP.replace("Delhi", f"Delhi {n}"), raw_format="txt"), (PROMO,), ())
        for n in range(6)
    ]
    jobs.append((DraftInput(raw=None, raw_format="txt"), (), ()))  # no text: cleaning raises
    with Drafter(rules=RULES, processes=1) as here, Drafter(rules=RULES, processes=2) as there:
        serial, parallel = here.drafts(jobs), there.drafts(jobs)
        assert there.pool is not None  # it did start workers
    assert serial[:6] == parallel[:6]
    assert [draft.title for draft in parallel[:6]] == [f"Kihara visits Delhi {n}" for n in range(6)]
    assert isinstance(parallel[6], DraftFailed) and isinstance(serial[6], DraftFailed)


def test_workers_sign_each_body_as_the_near_duplicate_detector_does():
    body = " ".join(f"Minoru Kihara spoke about satellite launch number {n}." for n in range(9))
    jobs = [
        (DraftInput(raw=f"Kihara visits Delhi {n}\n{body}\n", raw_format="txt"), (), ())
        for n in range(4)
    ]
    jobs.append((DraftInput(raw=None, raw_format="txt"), (), ()))
    with Drafter(rules=RULES, processes=2) as there:
        signed = there.signed_drafts(jobs)
        assert there.pool is not None
    with Drafter(rules=RULES, processes=1) as here:
        assert [draft for draft, _signature in signed[:4]] == here.drafts(jobs)[:4]
    for draft, signature in signed[:4]:
        assert draft.body == body
        assert signature.to_bytes() == near_duplicates.signature(body).to_bytes()
    assert isinstance(signed[4], DraftFailed)


def test_a_batch_of_one_is_drafted_in_this_process_with_the_rules():
    job = (DraftInput(raw=DUMP, raw_format="txt"), (PROMO,), ())
    with Drafter(rules=RULES, processes=2) as drafter:
        [draft] = drafter.drafts([job])
        [(signed, _signature)] = drafter.signed_drafts([job])
        assert drafter.pool is None
    assert draft == signed
    assert (draft.title, draft.minister_slugs) == ("Kihara visits Delhi", {"minoru-kihara"})


HEADLINE = "New ferry terminal to open next month"
LEAD = (
    "The harbour authority said on Tuesday that the new ferry terminal would open to "
    "passengers after a final safety inspection by the port's engineers next month."
)
FOLLOW_UP = (
    "Officials expect the terminal to handle twice as many crossings as the old pier, "
    "which has served the island's commuters for more than forty years without repair."
)
BYLINE_BLOCK = "By Jane Doe\nSenior reporter\nMarch 3, 2024\n5 min read\nShare\nTweet\nEmail\n"


def draft_of_dump(raw: str, **given) -> ArticleDraft:
    source = DraftInput(raw=raw, raw_format="txt", **given)
    return draft_article(source=source, repeated_lines=(), rules=RULES)


def test_a_text_dump_is_dated_from_the_byline_block_the_cleaner_removes():
    draft = draft_of_dump(f"{HEADLINE}\n{BYLINE_BLOCK}\n{LEAD}\n\n{FOLLOW_UP}\n")
    assert "March 3, 2024" not in draft.body  # removed with the byline block around it
    assert draft.published == datetime.date(2024, 3, 3)


def test_the_site_headers_date_above_the_headline_does_not_date_a_text_dump():
    header = "Coastal Courier\nMonday, June 10, 2024\nHome\nNews\n"
    draft = draft_of_dump(f"{header}{HEADLINE}\n{BYLINE_BLOCK}\n{LEAD}\n\n{FOLLOW_UP}\n")
    assert draft.published == datetime.date(2024, 3, 3)
    undated = draft_of_dump(f"{header}{HEADLINE}\n\n{LEAD}\n\n{FOLLOW_UP}\n")
    assert undated.published is None


def test_a_given_date_still_wins_over_the_dumps_own():
    draft = draft_of_dump(
        f"{HEADLINE}\n{BYLINE_BLOCK}\n{LEAD}\n", given_published=datetime.date(2024, 3, 4)
    )
    assert draft.published == datetime.date(2024, 3, 4)
