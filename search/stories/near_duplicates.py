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
from dataclasses import dataclass

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

WORD = re.compile(r"\w+")
FIGURE = re.compile(r"\d(?:[\d.,/-]*\d)?")
# Of the figures of the text with fewer, the share the other must report too: wire reports
# from one template (a weekly yield, a price change) share their words but not their figures.
FIGURES_SHARED = 0.8
_SEEDS = np.random.default_rng(20261203).integers(1, 2**63, size=(2, PERMUTATIONS), dtype=np.uint64)
_ODD_MULTIPLIERS, _OFFSETS = _SEEDS[0] | np.uint64(1), _SEEDS[1]
_SHINGLE_BASE = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Signature:
    values: np.ndarray  # PERMUTATIONS uint32 minimums; empty when the text is too short
    figures: np.ndarray  # sorted distinct uint32 hashes of the numbers in the text
    shingles: int  # how many distinct shingles the text has

    @property
    def usable(self) -> bool:
        return len(self.values) == PERMUTATIONS

    def to_bytes(self) -> bytes:
        """The shingle count, the values (PERMUTATIONS of them, or none), then the figures."""
        parts = [np.array([self.shingles]), self.values, self.figures]
        return np.concatenate(parts).astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        stored = np.frombuffer(bytes(data), dtype="<u4")
        shingles = int(stored[0])
        length = PERMUTATIONS if shingles >= MIN_SHINGLES else 0
        return cls(stored[1 : 1 + length], stored[1 + length :], shingles)


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def shingle_hashes(text: str) -> np.ndarray:
    """One 64-bit hash for each distinct run of ``SHINGLE_WORDS`` words."""
    codes = np.array([zlib.crc32(word.encode()) for word in words(text)], dtype=np.uint64)
    if len(codes) < SHINGLE_WORDS:
        return np.empty(0, dtype=np.uint64)
    count = len(codes) - SHINGLE_WORDS + 1
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):  # arithmetic modulo 2**64 is the point
        for offset in range(SHINGLE_WORDS):
            hashes = hashes * _SHINGLE_BASE + codes[offset : offset + count]
    return np.unique(hashes)


def signature(text: str) -> Signature:
    """The MinHash signature: for each of PERMUTATIONS hash functions (multiply-shift,
    seeded once for every process and every import), the smallest hash of the shingles."""
    hashes = shingle_hashes(text)
    figures = np.unique(
        np.array([zlib.crc32(f.encode()) for f in FIGURE.findall(text)], dtype=np.uint32)
    )
    if len(hashes) < MIN_SHINGLES:
        return Signature(np.empty(0, dtype=np.uint32), figures, len(hashes))
    # In place, one matrix (PERMUTATIONS x shingles): the top 32 bits of a * h + b.
    permuted = np.multiply.outer(_ODD_MULTIPLIERS, hashes)
    with np.errstate(over="ignore"):
        permuted += _OFFSETS[:, None]
    permuted >>= np.uint64(32)
    values = permuted.min(axis=1).astype(np.uint32)
    return Signature(values, figures, len(hashes))


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


def similarity(first: Signature, second: Signature) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets (0 when either is too
    short to tell)."""
    if not (first.usable and second.usable):
        return 0.0
    return float(np.mean(first.values == second.values))


def containment(first: Signature, second: Signature) -> float:
    """The estimated share of the shorter text's shingles that the longer has too: a first
    short take of a story stands whole in the longer version sent later. From the Jaccard
    estimate J and the set sizes: |A & B| = J (|A| + |B|) / (1 + J)."""
    jaccard = similarity(first, second)
    smaller = min(first.shingles, second.shingles)
    if not smaller:
        return 0.0
    shared = jaccard * (first.shingles + second.shingles) / (1 + jaccard)
    return min(1.0, shared / smaller)


def figures_agree(first: Signature, second: Signature) -> bool:
    """Whether the text with fewer figures has (almost) all of them in the other too."""
    fewer = min(len(first.figures), len(second.figures))
    if fewer == 0:
        return True  # no figures to disagree on
    shared = len(np.intersect1d(first.figures, second.figures, assume_unique=True))
    return shared >= FIGURES_SHARED * fewer


def are_versions(first: Signature, second: Signature) -> bool:
    """Two versions of one story: most shingles shared, and the same figures reported."""
    return containment(first, second) >= THRESHOLD and figures_agree(first, second)


@dataclass(frozen=True)
class SignatureTable:
    """Many signatures as arrays, so that one article is compared with all its candidates in
    a few vectorised steps: a story with thousands of versions (or a wire template used every
    week) makes a pairwise loop in Python quadratic, and it would take most of an import."""

    ids: np.ndarray  # article ids, one a row
    values: np.ndarray  # rows x PERMUTATIONS (zeros where the text is too short to tell)
    usable: np.ndarray
    shingles: np.ndarray
    figure_starts: np.ndarray  # each row's figures: figures[starts[i] : starts[i] + counts[i]]
    figure_counts: np.ndarray
    figures: np.ndarray

    @classmethod
    def of(cls, signatures: dict[int, Signature]) -> SignatureTable:
        ids = np.array(sorted(signatures), dtype=np.int64)
        rows = [signatures[pk] for pk in ids.tolist()]
        values = np.zeros((len(rows), PERMUTATIONS), dtype=np.uint32)
        for row, sig in enumerate(rows):
            if sig.usable:
                values[row] = sig.values
        counts = np.array([len(sig.figures) for sig in rows], dtype=np.int64)
        figures = [sig.figures for sig in rows]
        return cls(
            ids=ids,
            values=values,
            usable=np.array([sig.usable for sig in rows], dtype=bool),
            shingles=np.array([sig.shingles for sig in rows], dtype=np.int64),
            figure_starts=np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64),
            figure_counts=counts,
            figures=np.concatenate(figures).astype(np.uint32) if figures else np.empty(0),
        )

    def rows_of(self, article_ids: np.ndarray) -> np.ndarray:
        """The rows holding those ids (ids the table does not hold are left out)."""
        rows = np.searchsorted(self.ids, article_ids)
        inside = rows < len(self.ids)
        rows = rows[inside]
        return rows[self.ids[rows] == article_ids[inside]]

    def best_version(self, mine: Signature, rows: np.ndarray) -> int | None:
        """The id of the row most contained in (or containing) ``mine`` among its versions
        (``are_versions``), the lowest id on a tie; None when none is a version."""
        if not mine.usable or not len(rows):
            return None
        jaccard = (self.values[rows] == mine.values).mean(axis=1)
        jaccard[~self.usable[rows]] = 0.0
        shingles = self.shingles[rows]
        smaller = np.minimum(mine.shingles, shingles)
        shared = jaccard * (mine.shingles + shingles) / (1 + jaccard)
        with np.errstate(divide="ignore", invalid="ignore"):
            contained = np.where(smaller > 0, np.minimum(1.0, shared / smaller), 0.0)
        versions = (contained >= THRESHOLD) & self._figures_agree(mine, rows)
        if not versions.any():
            return None
        candidates = rows[versions]
        best = np.lexsort((self.ids[candidates], -contained[versions]))[0]
        return int(self.ids[candidates[best]])

    def _figures_agree(self, mine: Signature, rows: np.ndarray) -> np.ndarray:
        counts = self.figure_counts[rows]
        fewer = np.minimum(len(mine.figures), counts)
        # Every figure of those rows, then how many of each row's are also in ``mine``.
        owner = np.repeat(np.arange(len(rows)), counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        theirs = self.figures[np.repeat(self.figure_starts[rows], counts) + offsets]
        hits = np.isin(theirs, mine.figures)
        shared = np.bincount(owner, weights=hits, minlength=len(rows))
        return (fewer == 0) | (shared >= FIGURES_SHARED * fewer)
