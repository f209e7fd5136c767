"""Answering a search: matching, facet counts, the page of hits, highlights, suggestions.

Filters and facet counts run on numpy arrays kept per index generation (which documents carry
each minister/topic, each document's year and date), so one Whoosh pass finds the documents
matching the words and everything else is array arithmetic. Whoosh's own ``groupedby`` facets
do per-document Python work, far slower on large result sets.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn

from search.conf import get_setting
from search.engine import storage
from search.engine.codec import BYTE_TO_LENGTH
from search.engine.matching import Matches, Scoring, best_scored
from search.engine.parsing import ParsedQuery, parse_user_query, positive_terms
from search.engine.postings import leaves, term_docnums
from search.engine.schema import TEXT_FIELDS
from search.engine.snippets import highlight_text
from search.engine.spelling import OPERATORS, WORD, SpellingWords, known_word
from search.query import FacetCount, Hit, PageOutOfRange, SearchQuery, SearchResults

SUGGEST_BELOW = 3  # offer "did you mean" when a query finds fewer hits than this


@dataclass
class IndexState:
    """One index generation opened for reading, with its facet arrays."""

    key: tuple
    searcher: object
    live: np.ndarray  # bool per docnum: not deleted
    docs_with: dict[str, dict[str, np.ndarray]]  # field -> value -> docnums
    year: np.ndarray
    published: np.ndarray
    scoring: Scoring
    _spelling: SpellingWords | None = None

    @property
    def spelling(self) -> SpellingWords:
        """Built on the first misspelt query of this generation (most never need it)."""
        if self._spelling is None:
            self._spelling = SpellingWords(self.searcher.reader())
        return self._spelling

    @classmethod
    def open(cls, whoosh_index, key: tuple) -> IndexState:
        """Arrays for the whole index, from per-segment arrays kept while a segment lives.

        A write adds a small segment (and sometimes merges a few): only the new segments are
        read, so the first search after a save does not re-read every document's tags and
        dates (a few hundred ms at 100,000 articles).
        """
        searcher = whoosh_index.searcher()
        size = searcher.reader().doc_count_all()
        live = np.ones(size, dtype=bool)
        year = np.zeros(size, dtype=np.int64)
        published = np.zeros(size, dtype=np.int64)
        lengths = {name: np.ones(size) for name in TEXT_FIELDS}
        pieces: dict[str, dict[str, list[np.ndarray]]] = {name: {} for name in FACET_FIELDS}
        segment_ids = set()
        for subsearcher, offset in leaves(searcher):
            reader = subsearcher.reader()
            segment = reader.segment()
            arrays = segment_arrays(reader, segment.segid)
            segment_ids.add(segment.segid)
            count = reader.doc_count_all()
            year[offset : offset + count] = arrays.year
            published[offset : offset + count] = arrays.published
            for name, segment_lengths in arrays.lengths.items():
                lengths[name][offset : offset + count] = segment_lengths
            deleted = np.fromiter(segment.deleted_docs(), dtype=np.int64)
            live[deleted + offset] = False
            for name, by_value in arrays.docs_with.items():
                for value, docnums in by_value.items():
                    pieces[name].setdefault(value, []).append(docnums + offset)
        for segment_id in set(_segment_cache) - segment_ids:
            del _segment_cache[segment_id]  # merged away or from an older generation
        docs_with = {
            name: {value: np.concatenate(parts) for value, parts in by_value.items()}
            for name, by_value in pieces.items()
        }
        return cls(
            key=key,
            searcher=searcher,
            live=live,
            docs_with=docs_with,
            year=year,
            published=published,
            scoring=Scoring(searcher, lengths),
        )


FACET_FIELDS = ("minister", "topic")


@dataclass(frozen=True)
class SegmentArrays:
    docs_with: dict[str, dict[str, np.ndarray]]  # segment-local docnums
    year: np.ndarray
    published: np.ndarray
    lengths: dict[str, np.ndarray]  # text field -> each document's length, as BM25 reads it


_segment_cache: dict[str, SegmentArrays] = {}


def segment_arrays(reader, segment_id: str) -> SegmentArrays:
    """One segment's tags (postings read block-wise) and dates (column bytes as numpy)."""
    if segment_id not in _segment_cache:
        docs_with = {
            name: {
                term.decode("utf-8"): term_docnums(reader, name, term)
                for term in reader.lexicon(name)
            }
            for name in FACET_FIELDS
        }
        count = reader.doc_count_all()
        _segment_cache[segment_id] = SegmentArrays(
            docs_with=docs_with,
            year=column_array(reader, "year", count),
            published=column_array(reader, "published", count),
            lengths={name: length_array(reader, name, count) for name in TEXT_FIELDS},
        )
    return _segment_cache[segment_id]


def length_array(reader, fieldname: str, size: int) -> np.ndarray:
    """A field's document lengths in one segment, as Whoosh's BM25 sees them: decoded from
    the one-byte length column, and 1 for a document without a length."""
    lengths = np.ones(size)
    # Internals of whoosh.codec.whoosh3.W3PerDocReader: the lengths are a fixed one-byte
    # column per field (absent when no document has the field; shorter when the last
    # documents lack it).
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None or size == 0:
        return lengths
    raw = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
    decoded = _BYTE_TO_LENGTH[raw]
    lengths[: len(raw)] = np.where(raw > 0, decoded, 1.0)
    return lengths


_BYTE_TO_LENGTH = np.array(BYTE_TO_LENGTH, dtype=np.float64)


def column_array(reader, name: str, size: int) -> np.ndarray:
    """A numeric column of one segment as an array (0 where a document has no value)."""
    values = np.zeros(size, dtype=np.int64)
    if size == 0 or not reader.has_column(name):
        return values
    column = reader.column_reader(name, translate=False)
    if isinstance(column, NumericColumn.Reader) and column._typecode == "I":
        # Internals of whoosh.columns.NumericColumn.Reader: big-endian fixed-width values
        # from _basepos, _count of them (documents after that have the default, 0 here).
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        stored = np.frombuffer(raw, dtype=">u4").astype(np.int64)
        field = reader.schema[name]
        if field.signed:  # stored shifted; our unsigned year/day columns are stored as is
            stored = np.array([field.from_column_value(v) for v in stored.tolist()])
        values[: len(stored)] = stored
        return values
    return np.fromiter(reader.column_reader(name), dtype=np.int64, count=size)


_state_lock = threading.Lock()
_state: IndexState | None = None


_live_index: tuple[str, object] | None = None


def current_state() -> IndexState:
    """The live generation's state, reopened only when the index has changed.

    Per request this reads the CURRENT pointer and lists the generation's directory; the
    Whoosh index object (whose opening unpickles the schema from the TOC) is kept while the
    generation is live.
    """
    global _state, _live_index
    generation = storage.live_generation_dir()
    if _live_index is None or _live_index[0] != str(generation):
        _live_index = (str(generation), storage.open_live_index())
    whoosh_index = _live_index[1]
    for attempt in range(3):
        try:
            key = (_live_index[0], whoosh_index.latest_generation())
            with _state_lock:
                if _state is None or _state.key != key:
                    _state = IndexState.open(whoosh_index, key)
                return _state
        except FileNotFoundError:
            # Whoosh quirk (see storage.open_live_index): a commit between listing the TOCs
            # and reading the newest deletes it; the next listing finds the new one.
            if attempt == 2:
                raise
            time.sleep(0.01)
        except Exception:
            # Damaged since it was opened: reopening raises IndexUnavailable with the fix.
            _live_index = None
            whoosh_index = storage.open_live_index()
            _live_index = (str(generation), whoosh_index)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def search(search_query: SearchQuery) -> SearchResults:
    started = time.perf_counter()
    state = current_state()
    reader = state.searcher.reader()
    parsed = parse_user_query(
        search_query.q,
        schema=state.searcher.schema,
        reader=reader,
        max_expansions=get_setting("WILDCARD_MAX_EXPANSIONS"),
    )
    words = matches(state, parsed.query)
    filter_mask = filters_mask(state, search_query)
    base = words.mask & filter_mask  # everything but the year filter: the years' counts
    years_wanted = np.isin(state.year, search_query.years) if search_query.years else True
    matched = base & years_wanted
    total = int(matched.sum())
    results = SearchResults(
        query=search_query,
        total=total,
        hits=[],
        facets=facet_counts(state, search_query, matched, base),
        notices=parsed.notices,
    )
    if search_query.page > results.pages:
        raise PageOutOfRange(search_query.page, results.pages)
    results.hits = page_of_hits(state, search_query, parsed, words.scores, matched)
    if parsed.query is not None and total < SUGGEST_BELOW:
        results.suggestion = suggestion(state, parsed, filter_mask, total)
    results.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return results


def matches(state: IndexState, parsed_query) -> Matches:
    """The live documents matching the words (all of them when there are no words)."""
    if parsed_query is None:
        return Matches(state.live, np.zeros(len(state.live)))
    found = state.scoring.evaluate(parsed_query)
    return Matches(found.mask & state.live, found.scores)


def filters_mask(state: IndexState, search_query: SearchQuery) -> np.ndarray:
    """Ministers and topics: all of the chosen (AND); dates: within the range."""
    mask = state.live.copy()
    for field_name, values in (
        ("minister", search_query.ministers),
        ("topic", search_query.topics),
    ):
        for value in values:
            with_value = np.zeros_like(mask)
            with_value[state.docs_with[field_name].get(value, np.empty(0, dtype=np.int64))] = True
            mask &= with_value
    if search_query.date_from:
        mask &= state.published >= search_query.date_from.toordinal()
    if search_query.date_to:
        mask &= (state.published <= search_query.date_to.toordinal()) & (state.published > 0)
    return mask


def facet_counts(state, search_query, matched, base) -> dict[str, list[FacetCount]]:
    """Each count is the number of results clicking that value gives.

    Ministers and topics narrow (AND), so they are counted within the current results; years
    widen (OR), so they are counted with every filter but the year filter.
    """
    facets = {}
    for name in ("minister", "topic"):
        selected = set(search_query.selected(name))
        counts = [
            FacetCount(value, int(matched[docnums].sum()))
            for value, docnums in state.docs_with[name].items()
        ]
        facets[name] = sorted(
            (c for c in counts if c.count or c.value in selected),
            key=lambda c: (-c.count, c.value),
        )
        present = {c.value for c in facets[name]}
        facets[name] += [FacetCount(value, 0) for value in sorted(selected - present)]
    year_counts = np.bincount(state.year[base], minlength=1) if base.any() else np.zeros(1, int)
    years = {year: int(count) for year, count in enumerate(year_counts) if count and year}
    for year in search_query.years:
        years.setdefault(year, 0)
    facets["year"] = [FacetCount(year, years[year]) for year in sorted(years, reverse=True)]
    return facets


def page_of_hits(state, search_query, parsed: ParsedQuery, scores, matched) -> list[Hit]:
    start = (search_query.page - 1) * search_query.per_page
    end = start + search_query.per_page
    # Whoosh quirks avoided here: ``search_page`` past the last page silently returns the last
    # page (we check the page against the total first and answer PageOutOfRange), and a
    # ``filter`` combined with ``TimeLimitCollector`` can let filtered-out documents through
    # (we rank our own score vector; hidden articles are not in the index at all).
    if search_query.effective_sort == "relevance" and parsed.query is not None:
        ranked = best_scored(scores, matched, end)[start:end]
    else:
        ranked = [(int(d), 0.0) for d in by_date(state, matched, search_query)[start:end]]
    terms = positive_terms(parsed.query)
    return [make_hit(state, docnum, score, terms) for docnum, score in ranked]


def by_date(state: IndexState, matched: np.ndarray, search_query: SearchQuery) -> np.ndarray:
    """The page's docnums, newest (or oldest) first; undated articles last; ties by docnum.

    Only the first ``page * per_page`` are put in order (argpartition, then a sort of those):
    browsing 100,000 articles sorted them all for ten rows.
    """
    docnums = np.flatnonzero(matched)
    days = state.published[docnums]
    if search_query.effective_sort == "oldest":
        days = np.where(days > 0, days, np.iinfo(np.int32).max)
    else:
        days = -days
    # One sort key: the day, then the higher docnum first (docnums < 2**32).
    keys = (days << 32) + (np.int64(2**32 - 1) - docnums)
    wanted = search_query.page * search_query.per_page
    if wanted < len(keys):
        nearest = np.argpartition(keys, wanted - 1)[:wanted]
        return docnums[nearest[np.argsort(keys[nearest], kind="stable")]]
    return docnums[np.argsort(keys, kind="stable")]


def make_hit(state: IndexState, docnum: int, score: float, terms: set[str]) -> Hit:
    stored = state.searcher.stored_fields(docnum)
    return Hit(
        id=int(stored["id"]),
        score=float(score),
        title_highlighted=highlight_text(stored["title"], terms, whole=True),
        snippet=highlight_text(stored["body"], terms, whole=False),
    )


def query_terms(q: str) -> set[str]:
    """The analysed words a query would mark (stems, phrases, expanded wildcards; nothing from
    NOT clauses), for highlighting text the engine did not return itself (the article page)."""
    if not q.strip():
        return set()
    state = current_state()
    parsed = parse_user_query(
        q,
        schema=state.searcher.schema,
        reader=state.searcher.reader(),
        max_expansions=get_setting("WILDCARD_MAX_EXPANSIONS"),
    )
    return positive_terms(parsed.query)


def suggestion(state, parsed: ParsedQuery, filter_mask, total: int) -> str | None:
    """A respelt query, offered only when it would find more than the one typed.

    Whoosh's ``correct_query`` compares the query's *stemmed* terms with the unstemmed spelling
    words and ends up correcting nothing on a stemmed field, so we respell word by word.
    """
    reader = state.searcher.reader()
    changed = False

    def respell(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        if word in OPERATORS or known_word(reader, word):
            return word
        better = state.spelling.suggest(word.lower(), reader)
        if better is None:
            return word
        changed = True
        return better

    corrected_text = WORD.sub(respell, parsed.text)
    if not changed:
        return None
    corrected = parse_user_query(
        corrected_text, schema=state.searcher.schema, reader=reader, max_expansions=1
    )
    better = int((matches(state, corrected.query).mask & filter_mask).sum())
    return corrected_text if better > total else None


def more_like_this(article_id: int, *, limit: int) -> list[int]:
    state = current_state()
    docnum = state.searcher.document_number(id=str(article_id))
    if docnum is None:
        return []
    similar = state.searcher.more_like(docnum, "body", top=limit, numterms=12)
    return [int(hit["id"]) for hit in similar]


def indexed_versions() -> dict[int, str]:
    """Article id -> version of every document in the live index (for check_index)."""
    state = current_state()
    versions = {}
    for segment, _offset in state.searcher.reader().leaf_readers():
        ids, digests = segment.column_reader("id"), segment.column_reader("version")
        for docnum in segment.all_doc_ids():
            versions[int(ids[docnum])] = digests[docnum]
    return versions
