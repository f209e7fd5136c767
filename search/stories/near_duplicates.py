"""Near-duplicate detection, pure: text -> MinHash signature -> LSH band keys -> similarity.

A re-posted copy of a story keeps most of its sentences, so most of its word shingles (runs of
``SHINGLE_WORDS`` words); another report of the same event is written afresh and shares few.
MinHash estimates the Jaccard similarity of two shingle sets from two fixed-size signatures,
and locality-sensitive hashing (``band_keys``: the signature cut into bands, each band hashed)
finds the candidates sharing a band through an index, never by comparing all pairs.

MinHash rather than SimHash: SimHash's Hamming distance is only loosely tied to how much text
two articles share, and its candidate search needs many permuted tables; MinHash estimates the
shared fraction itself (the threshold reads as "three quarters of the shingles in common") and
its bands index as plain equality lookups in the database. Written with numpy (about forty
lines) instead of a library: hashing a whole article's shingles is one vectorised step.

Only the body is compared: a copy often has another headline. The body is the cleaned text
(boilerplate already removed by ``cleaning``); numbers are words, so two earnings briefs with
the same template but other figures do not look alike.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

SHINGLE_WORDS = 4
PERMUTATIONS = 128
BANDS = 32  # of ROWS values each: a pair with similarity s shares a band w.p. 1-(1-s^4)^32
ROWS = PERMUTATIONS // BANDS
# Estimated share of the shorter text's shingles in the longer (``containment``) from which
# two articles are versions of one story.
THRESHOLD = 0.6
# Fewer shingles than this (a one-line brief) says too little to call two articles copies.
MIN_SHINGLES = 12
# Containment read from MinHash's Jaccard estimate is noisy when one text is many times the
# other (a first short take and its full story share few minimums). So the signature also
# keeps a content-defined sample of the shingles, one in SAMPLE_EVERY chosen by the hash
# itself: the sample of a text inside another is inside the other's sample, and the share of
# the shorter one's sample found in the longer estimates containment directly. Used once the
# shorter text has at least SAMPLES_TO_TELL of them.
SAMPLE_EVERY = 4
SAMPLES_TO_TELL = 6
# Anchors: the sampled shingles (one in ANCHOR_EVERY) of the first ANCHOR_WORDS words, kept as
# index keys beside the bands. A first short take is the lead of its full story, so it shares
# anchors with it even when the bands, which need Jaccard, never meet. Bounded: at most about
# ANCHOR_WORDS / ANCHOR_EVERY index rows an article, however long it is.
ANCHOR_EVERY = 4
ANCHOR_WORDS = 200
# A correction or an update resends the story with some figures changed, so it fails the
# figures check. With a marker in either headline ("CORRECTED", "RPT"...) the figures do
# not count; without one, the same source within CORRECTION_DAYS, nearly the same text
# (CORRECTED_CONTAINMENT) and at least FIGURES_CORRECTED of the figures kept: a wire template
# (a repurchase report, a rate notice) changes all its figures, a correction a few.
# A tag, not a word of the headline: "CORRECTED - ...", "(CORRECTED)-...", "RPT-...", "... (RPT)";
# never "<RPT>" (RepublicBank's ticker) nor "stocks due for a correction".
CORRECTION_MARKER = re.compile(
    r"^\W*(?:CORRECTED|CORRECTION|RPT|REPEAT|UPDATE(?:\s*\d+)?)\W*(?=[-:)\]>])"
    r"|\((?:CORRECTED|CORRECTION|RPT|REPEAT)\)\s*$",
    re.IGNORECASE,
)
# A marked correction may rewrite much of its text (a figure, who sold what): it needs only
# this much of it in the original, with a headline mostly the original's (HEADLINE_SHARED of
# the shorter headline's words).
MARKED_CONTAINMENT = 0.3
HEADLINE_SHARED = 0.5
CORRECTION_DAYS = 4
CORRECTED_CONTAINMENT = 0.85
FIGURES_CORRECTED = 0.5

WORD = re.compile(r"\w+")
FIGURE = re.compile(r"\d(?:[\d.,/-]*\d)?")
# Of the figures of the text with fewer, the share the other must report too: wire reports
# from one template (a weekly yield, a price change) share their words but not their figures.
FIGURES_SHARED = 0.8
_SEEDS = np.random.default_rng(20261203).integers(1, 2**63, size=(2, PERMUTATIONS), dtype=np.uint64)
_ODD_MULTIPLIERS, _OFFSETS = _SEEDS[0] | np.uint64(1), _SEEDS[1]
_SHINGLE_BASE = np.uint64(0x9E3779B97F4A7C15)
_SAMPLE_MIXER = np.uint64(0xD6E8FEB86659FD93)
_ANCHOR_SALT = np.uint64(0x5BD1E9955BD1E995)  # keeps anchor keys apart from band keys
_NEW_FORMAT = 1 << 31  # set in the stored shingle count: figures counted, samples follow


@dataclass(frozen=True)
class Signature:
    values: np.ndarray  # PERMUTATIONS uint32 minimums; empty when the text is too short
    figures: np.ndarray  # sorted distinct uint32 hashes of the numbers in the text
    shingles: int  # how many distinct shingles the text has
    samples: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint32))
    # sorted: the sampled shingles
    anchors: tuple[int, ...] = ()  # index keys of the lead's sampled shingles (not stored)

    @property
    def usable(self) -> bool:
        return len(self.values) == PERMUTATIONS

    def to_bytes(self) -> bytes:
        """The shingle count (flagged), the number of figures, the values (PERMUTATIONS of
        them, or none), the figures, then the samples."""
        header = np.array([self.shingles | _NEW_FORMAT, len(self.figures)])
        parts = [header, self.values, self.figures, self.samples]
        return np.concatenate(parts).astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """Also reads signatures stored before samples were kept (their samples are empty)."""
        stored = np.frombuffer(bytes(data), dtype="<u4")
        shingles = int(stored[0]) & ~_NEW_FORMAT
        length = PERMUTATIONS if shingles >= MIN_SHINGLES else 0
        if not int(stored[0]) & _NEW_FORMAT:
            return cls(stored[1 : 1 + length], stored[1 + length :], shingles)
        figures_end = 2 + length + int(stored[1])
        return cls(
            stored[2 : 2 + length], stored[2 + length : figures_end], shingles, stored[figures_end:]
        )


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def shingle_hashes(text: str) -> np.ndarray:
    """One 64-bit hash for each distinct run of ``SHINGLE_WORDS`` words."""
    return np.unique(shingle_run(text))


def shingle_run(text: str) -> np.ndarray:
    """The 64-bit hash of each run of ``SHINGLE_WORDS`` words, in the text's order."""
    codes = np.array([zlib.crc32(word.encode()) for word in words(text)], dtype=np.uint64)
    if len(codes) < SHINGLE_WORDS:
        return np.empty(0, dtype=np.uint64)
    count = len(codes) - SHINGLE_WORDS + 1
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        for offset in range(SHINGLE_WORDS):
            hashes = hashes * _SHINGLE_BASE + codes[offset : offset + count]
    return hashes


def _mixed(hashes: np.ndarray) -> np.ndarray:
    """The hashes' bits stirred (the top bits of an odd multiple), to sample them by value."""
    with np.errstate(over="ignore"):
        return (hashes * _SAMPLE_MIXER) >> np.uint64(32)


def signature(text: str) -> Signature:
    """The MinHash signature: for each of PERMUTATIONS hash functions (multiply-shift,
    seeded once for every process and every import), the smallest hash of the shingles."""
    run = shingle_run(text)
    hashes = np.unique(run)
    figures = np.unique(
        np.array([zlib.crc32(f.encode()) for f in FIGURE.findall(text)], dtype=np.uint32)
    )
    mixed = _mixed(hashes)
    samples = np.unique(mixed[mixed % np.uint64(SAMPLE_EVERY) == 0].astype(np.uint32))
    if len(hashes) < MIN_SHINGLES:
        return Signature(np.empty(0, dtype=np.uint32), figures, len(hashes), samples)
    # Runs of 2 x SHINGLE_WORDS words: common four-word phrases ("said it expects to") would
    # make every article a candidate of thousands.
    lead = run[: ANCHOR_WORDS + SHINGLE_WORDS]
    with np.errstate(over="ignore"):
        lead = _mixed(np.unique(lead[:-SHINGLE_WORDS] * _SHINGLE_BASE + lead[SHINGLE_WORDS:]))
    with np.errstate(over="ignore"):
        anchors = np.unique(lead[lead % np.uint64(ANCHOR_EVERY) == 0]) ^ _ANCHOR_SALT
    # In place, one matrix (PERMUTATIONS x shingles): the top 32 bits of a * h + b.
    permuted = np.multiply.outer(_ODD_MULTIPLIERS, hashes)
    with np.errstate(over="ignore"):
        permuted += _OFFSETS[:, None]
    permuted >>= np.uint64(32)
    values = permuted.min(axis=1).astype(np.uint32)
    return Signature(values, figures, len(hashes), samples, tuple(anchors.view(np.int64).tolist()))


def band_keys(sig: Signature) -> list[int]:
    """One signed 64-bit key a band (the band's number is part of it): two signatures that
    share a key agree on that whole band, the LSH candidates of each other."""
    if not sig.usable:
        return []
    rows = sig.values.reshape(BANDS, ROWS).astype(np.uint64)
    keys = np.arange(1, BANDS + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64
        for row in range(ROWS):
            keys = (keys * _SHINGLE_BASE) ^ rows[:, row]
            keys ^= keys >> np.uint64(29)
    return keys.view(np.int64).tolist()  # into the range of a signed BIGINT


def index_keys(sig: Signature) -> list[int]:
    """What the index holds for an article: its band keys, then its anchors, each once (the
    table's key is the key and the article)."""
    return list(dict.fromkeys([*band_keys(sig), *sig.anchors])) if sig.usable else []


def similarity(first: Signature, second: Signature) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets (0 when either is too
    short to tell)."""
    if not (first.usable and second.usable):
        return 0.0
    return float(np.mean(first.values == second.values))


def containment(first: Signature, second: Signature) -> float:
    """The estimated share of the shorter text's shingles that the longer has too: a first
    short take of a story stands whole in the longer version sent later. From the samples
    when the shorter has enough of them; otherwise from the Jaccard estimate J and the set
    sizes: |A & B| = J (|A| + |B|) / (1 + J)."""
    shorter, longer = sorted((first, second), key=lambda sig: sig.shingles)
    if len(shorter.samples) >= SAMPLES_TO_TELL and len(longer.samples):
        inside = np.isin(shorter.samples, longer.samples, assume_unique=True)
        return float(inside.mean())
    jaccard = similarity(first, second)
    if not shorter.shingles:
        return 0.0
    shared = jaccard * (first.shingles + second.shingles) / (1 + jaccard)
    return min(1.0, shared / shorter.shingles)


def figures_shared(first: Signature, second: Signature) -> float:
    """Of the text with fewer figures, the share the other reports too (1 with none)."""
    fewer = min(len(first.figures), len(second.figures))
    if fewer == 0:
        return 1.0  # no figures to disagree on
    return len(np.intersect1d(first.figures, second.figures, assume_unique=True)) / fewer


def figures_agree(first: Signature, second: Signature) -> bool:
    """Whether the text with fewer figures has (almost) all of them in the other too."""
    return figures_shared(first, second) >= FIGURES_SHARED


@dataclass(frozen=True)
class Sent:
    """What a version's headline, date and source say, beside its text: enough to tell a
    correction of a story from another day's report from its template."""

    title: str = ""
    published: date | None = None
    source: str = ""  # the site or folder it came from

    @property
    def marked_correction(self) -> bool:
        return bool(CORRECTION_MARKER.search(self.title))

    @property
    def headline_words(self) -> set[str]:
        return set(words(CORRECTION_MARKER.sub(" ", self.title)))


def same_headline(first: Sent, second: Sent) -> bool:
    """Whether most words of the shorter headline (its correction tag aside) are the other's."""
    mine, theirs = first.headline_words, second.headline_words
    fewer = min(len(mine), len(theirs))
    return fewer > 0 and len(mine & theirs) >= HEADLINE_SHARED * fewer


def marked_correction_of(first: Sent, second: Sent) -> bool:
    """One is tagged as a correction (or a repeat) of the other: within a few days, under
    mostly the same headline."""
    apart = days_apart(first, second)
    return (
        (first.marked_correction or second.marked_correction)
        and (apart is None or apart <= CORRECTION_DAYS)
        and same_headline(first, second)
    )


def may_be_corrected_by(original: Sent, tagged: Sent) -> bool:
    """Whether ``tagged`` may correct (or repeat) ``original``: tagged, from the same source,
    within a few days, under mostly the same headline. Such a pair is compared even when the
    texts share no index key: a correction of a short notice, or one that rewrites much of
    the text, may keep too few of the original's words for a band or an anchor."""
    return (
        tagged.marked_correction
        and bool(tagged.source)
        and tagged.source == original.source
        and marked_correction_of(original, tagged)
    )


def may_change_figures(first: Sent, second: Sent) -> bool:
    """Whether two items could be a story and its correction: the same source within a few
    days (then only if the text is nearly the same and keeps most figures)."""
    apart = days_apart(first, second)
    same_source = bool(first.source) and first.source == second.source
    return same_source and apart is not None and apart <= CORRECTION_DAYS


def days_apart(first: Sent, second: Sent) -> int | None:
    if first.published is None or second.published is None:
        return None
    return abs((first.published - second.published).days)


def another_issue(first: Sent, second: Sent) -> bool:
    """The same source sent both, more than a few days apart: another issue of a recurring
    item (a weekly notice, a daily repurchase report), whatever the text shares. A source
    repeats or corrects a story within days; other sources may re-post it any time."""
    apart = days_apart(first, second)
    return bool(first.source) and first.source == second.source and (apart or 0) > CORRECTION_DAYS


def are_versions(
    first: Signature,
    second: Signature,
    *,
    sent: tuple[Sent, Sent] | None = None,
) -> bool:
    """Two versions of one story: most of the shorter one's shingles in the longer, and the
    same figures reported, unless what was ``sent`` says one corrects the other; never two
    issues of a recurring item (``another_issue``)."""
    if not (first.usable and second.usable):
        return False  # too short to tell
    contained = containment(first, second)
    if sent and marked_correction_of(*sent):
        return contained >= MARKED_CONTAINMENT
    if contained < THRESHOLD or (sent and another_issue(*sent)):
        return False
    if figures_agree(first, second):
        return True
    return (
        bool(sent)
        and may_change_figures(*sent)
        and contained >= CORRECTED_CONTAINMENT
        and figures_shared(first, second) >= FIGURES_CORRECTED
    )


@dataclass(frozen=True)
class Ragged:
    """Rows of different lengths in one array: ``flat[starts[i] : starts[i] + counts[i]]``."""

    flat: np.ndarray
    starts: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(cls, rows: list[np.ndarray]) -> Ragged:
        counts = np.array([len(row) for row in rows], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        flat = np.concatenate(rows).astype(np.uint32) if rows else np.empty(0, np.uint32)
        return cls(flat, starts, counts)

    def shared_with(self, mine: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """For each of those rows, how many of its values ``mine`` has too."""
        counts = self.counts[rows]
        owner = np.repeat(np.arange(len(rows)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        theirs = self.flat[np.repeat(self.starts[rows], counts) + offsets]
        hits = np.isin(theirs, mine)
        return np.bincount(owner, weights=hits, minlength=len(rows))


@dataclass(frozen=True)
class SignatureTable:
    """Many signatures as arrays, so that one article is compared with all its candidates in
    a few vectorised steps: a story with thousands of versions (or a wire template used every
    week) makes a pairwise loop in Python quadratic, and it would take most of an import."""

    ids: np.ndarray  # article ids, one a row
    values: np.ndarray  # rows x PERMUTATIONS (zeros where the text is too short to tell)
    usable: np.ndarray
    shingles: np.ndarray
    figures: Ragged
    samples: Ragged

    @classmethod
    def of(cls, signatures: dict[int, Signature]) -> SignatureTable:
        ids = np.array(sorted(signatures), dtype=np.int64)
        rows = [signatures[pk] for pk in ids.tolist()]
        values = np.zeros((len(rows), PERMUTATIONS), dtype=np.uint32)
        for row, sig in enumerate(rows):
            if sig.usable:
                values[row] = sig.values
        return cls(
            ids=ids,
            values=values,
            usable=np.array([sig.usable for sig in rows], dtype=bool),
            shingles=np.array([sig.shingles for sig in rows], dtype=np.int64),
            figures=Ragged.of([sig.figures for sig in rows]),
            samples=Ragged.of([sig.samples for sig in rows]),
        )

    def rows_of(self, article_ids: np.ndarray) -> np.ndarray:
        """The rows holding those ids (ids the table does not hold are left out)."""
        rows = np.searchsorted(self.ids, article_ids)
        inside = rows < len(self.ids)
        rows = rows[inside]
        return rows[self.ids[rows] == article_ids[inside]]

    def versions(
        self,
        mine: Signature,
        rows: np.ndarray,
        sent: Callable[[int], tuple[Sent, Sent]] = lambda pk: (Sent(), Sent()),
    ) -> list[int]:
        """The ids of those rows that are versions of ``mine`` (``are_versions``), best
        first: the most contained, then the most figures shared, then the lowest id.
        ``sent(id)`` gives what was sent (mine, theirs) for each pair alike enough."""
        if not mine.usable or not len(rows):
            return []
        contained = self._containment(mine, rows)
        fewer = np.minimum(len(mine.figures), self.figures.counts[rows])
        shared = self.figures.shared_with(mine.figures, rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            figures = np.where(fewer > 0, shared / fewer, 1.0)
        accepted = (contained >= MARKED_CONTAINMENT) & self.usable[rows]
        for index in np.flatnonzero(accepted).tolist():
            pair = sent(int(self.ids[rows[index]]))
            if marked_correction_of(*pair):
                continue
            if contained[index] < THRESHOLD or another_issue(*pair):
                accepted[index] = False
            elif figures[index] < FIGURES_SHARED:
                accepted[index] = (
                    may_change_figures(*pair)
                    and contained[index] >= CORRECTED_CONTAINMENT
                    and figures[index] >= FIGURES_CORRECTED
                )
        chosen = np.flatnonzero(accepted)
        order = np.lexsort((self.ids[rows[chosen]], -figures[chosen], -contained[chosen]))
        return self.ids[rows[chosen[order]]].tolist()

    def _containment(self, mine: Signature, rows: np.ndarray) -> np.ndarray:
        """``containment`` of ``mine`` with each row, as ``containment`` computes it."""
        jaccard = (self.values[rows] == mine.values).mean(axis=1)
        jaccard[~self.usable[rows]] = 0.0
        shingles = self.shingles[rows]
        smaller = np.minimum(mine.shingles, shingles)
        shared = jaccard * (mine.shingles + shingles) / (1 + jaccard)
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = np.where(smaller > 0, np.minimum(1.0, shared / smaller), 0.0)
        # From the samples where the shorter text has enough (the longer's count on a tie,
        # as ``containment`` sorts them: the first of equals is the shorter).
        counts = self.samples.counts[rows]
        mine_shorter = mine.shingles <= shingles
        shorter_samples = np.where(mine_shorter, len(mine.samples), counts)
        longer_samples = np.where(mine_shorter, counts, len(mine.samples))
        inside = self.samples.shared_with(mine.samples, rows)
        sampled = (shorter_samples >= SAMPLES_TO_TELL) & (longer_samples > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            from_samples = inside / np.maximum(shorter_samples, 1)
        return np.where(sampled, from_samples, estimate)
