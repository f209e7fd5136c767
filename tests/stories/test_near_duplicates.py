"""The near-duplicate detector on texts written for it, and on the seeds."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from search.stories import near_duplicates
from search.stories.near_duplicates import Signature, are_versions, band_keys, signature

FIXTURES = Path(__file__).parents[1] / "fixtures" / "near_duplicates"
SEEDS = Path(__file__).parents[2] / "seeds"


def body(name: str) -> str:
    """The fixture without its headline (the detector compares bodies)."""
    return (FIXTURES / name).read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_a_reposted_copy_with_other_boilerplate_and_headline_is_a_version():
    story, copy = signature(body("story.txt")), signature(body("story_reposted.txt"))
    assert are_versions(story, copy)
    assert set(band_keys(story)) & set(band_keys(copy))  # the band index finds it


def test_the_same_template_with_other_figures_is_another_story():
    story, other = signature(body("story.txt")), signature(body("other_week.txt"))
    assert near_duplicates.containment(story, other) > near_duplicates.THRESHOLD
    assert not are_versions(story, other)


def test_the_seeds_three_reports_of_one_meeting_are_not_versions_of_each_other():
    signatures = {path.name: signature(path.read_text()) for path in sorted(SEEDS.glob("*.txt"))}
    assert len(signatures) == 5
    names = sorted(signatures)
    for index, first in enumerate(names):
        for second in names[index + 1 :]:
            assert not are_versions(signatures[first], signatures[second]), (first, second)


def test_identical_texts_are_versions_and_a_one_liner_is_too_short_to_tell():
    text = body("story.txt")
    assert near_duplicates.similarity(signature(text), signature(text)) == 1.0
    brief = signature("Hog prices opened 1.00 dlr higher, private sources said.")
    assert not brief.usable and band_keys(brief) == []
    assert not are_versions(brief, brief)


def test_a_signature_survives_the_database_as_bytes():
    original = signature(body("story.txt"))
    restored = Signature.from_bytes(original.to_bytes())
    assert (restored.values == original.values).all()
    assert (restored.figures == original.figures).all()
    assert restored.shingles == original.shingles
    short = signature("Too short.")
    assert Signature.from_bytes(short.to_bytes()).usable is False


def test_band_keys_fit_a_signed_bigint_and_differ_by_band():
    keys = band_keys(signature(body("story.txt")))
    assert len(keys) == near_duplicates.BANDS == len(set(keys))
    assert all(-(2**63) <= key < 2**63 for key in keys)


def test_comparing_with_all_candidates_at_once_picks_what_comparing_pairs_picks():
    """The table's vectorised versions are those of the pairwise rule (are_versions), the
    most contained first, on texts sharing a template: copies, other
    figures, shorter takes, one-liners."""
    rng = random.Random(11)
    sentences = [
        f"The port authority said {word} traffic rose this week as ministers met in the harbour."
        for word in ("freight", "container", "ferry", "tanker", "grain", "coal", "timber")
    ]
    texts = {}
    for number in range(1, 121):
        chosen = rng.sample(sentences, rng.randint(1, len(sentences)))
        figures = [str(rng.randint(1, 6)), str(rng.randint(20, 25)), str(rng.randint(40, 44))]
        texts[number] = " ".join(chosen) + " Volumes were {}, {} and {} units.".format(*figures)
    signatures = {number: signature(text) for number, text in texts.items()}
    table = near_duplicates.SignatureTable.of(signatures)
    compared = 0
    for number, mine in signatures.items():
        others = [other for other in signatures if other != number]
        expected = {o for o in others if are_versions(mine, signatures[o])}
        found = table.versions(mine, table.rows_of(np.array(others, dtype=np.int64)))
        assert set(found) == expected, number
        contained = [near_duplicates.containment(mine, signatures[o]) for o in found]
        assert contained == sorted(contained, reverse=True), number
        compared += bool(expected)
    assert 20 < compared < 120, "the texts should hold both versions and non-versions"


def test_a_tagged_correction_is_compared_with_its_sources_items_of_those_days_by_headline():
    day = date(1987, 3, 17)
    original = near_duplicates.Sent("FEDERAL PAPER BOARD CO <FBT> SETS PAYOUT", day, "reuters")

    def tagged(title: str, days_later: int = 1, source: str = "reuters"):
        return near_duplicates.Sent(title, day + timedelta(days=days_later), source)

    may_be_corrected_by = near_duplicates.may_be_corrected_by
    assert may_be_corrected_by(original, tagged("CORRECTED - FEDERAL PAPER <FBT> RAISES PAYOUT"))
    assert not may_be_corrected_by(original, tagged("FEDERAL PAPER <FBT> RAISES PAYOUT"))
    assert not may_be_corrected_by(original, tagged("CORRECTED - FEDERAL PAPER PAYOUT", 9))
    assert not may_be_corrected_by(original, tagged("CORRECTED - FEDERAL PAPER PAYOUT", 1, "ap"))
    assert not may_be_corrected_by(original, tagged("CORRECTED - GENCORP <GY> RAISES DIVIDEND"))
