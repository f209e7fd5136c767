"""Which documents match a query, as a numpy mask, and the best-scoring of a subset.

Whoosh hands out matching documents one at a time through Python generators
(``searcher.docs_for_query``): about a microsecond a document, so a common word in 100,000
articles cost tens of milliseconds before anything else happened. Terms, AND, OR and NOT are
set algebra, so here a term's postings are read a block (up to 128 documents) at a time into
numpy and combined as boolean masks; only the nodes that need positions (phrases) or are
unusual go through Whoosh, and then only that node.
"""

from __future__ import annotations

import heapq

import numpy as np
from whoosh import query as wq
from whoosh.matching import ReadTooFar


def query_mask(searcher, node, size: int) -> np.ndarray:
    """Boolean mask over docnums (deleted documents may be set: AND it with the live mask)."""
    if node is None or isinstance(node, type(wq.NullQuery)):
        return np.zeros(size, dtype=bool)
    if isinstance(node, wq.Term):
        return term_mask(searcher, node.fieldname, node.text, size)
    if isinstance(node, wq.And):
        mask = np.ones(size, dtype=bool)
        for child in node.children():
            mask &= query_mask(searcher, child, size)
        return mask
    if isinstance(node, wq.Or) and not getattr(node, "minmatch", 0):
        mask = np.zeros(size, dtype=bool)
        for child in node.children():
            mask |= query_mask(searcher, child, size)
        return mask
    if isinstance(node, wq.Not):
        return ~query_mask(searcher, node.query, size)
    if isinstance(node, wq.AndNot):
        return query_mask(searcher, node.a, size) & ~query_mask(searcher, node.b, size)
    if isinstance(node, wq.AndMaybe):
        return query_mask(searcher, node.a, size)
    mask = np.zeros(size, dtype=bool)
    docnums = np.fromiter(searcher.docs_for_query(node), dtype=np.int64)
    mask[docnums] = True
    return mask


def term_mask(searcher, fieldname: str, text, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    if fieldname not in searcher.schema:
        return mask
    field = searcher.schema[fieldname]
    term = field.to_bytes(text) if not isinstance(text, bytes) else text
    for subsearcher, offset in leaves(searcher):
        reader = subsearcher.reader()
        if (fieldname, term) not in reader:
            continue
        mask[term_docnums(reader.postings(fieldname, term)) + offset] = True
    return mask


def leaves(searcher):
    return searcher.subsearchers or [(searcher, 0)]


def term_docnums(matcher) -> np.ndarray:
    """A term's docnums, a posting block at a time where the codec allows it."""
    # A segment with deletions wraps its postings in a FilterMatcher: read the child (the
    # caller ANDs the result with the live mask anyway).
    leaf = getattr(matcher, "child", matcher)
    if not (hasattr(leaf, "_read_ids") and hasattr(leaf, "_next_block")):
        return np.fromiter(matcher.all_ids(), dtype=np.int64)
    blocks = []
    # Internals of whoosh.codec.whoosh3.W3LeafMatcher (Whoosh-Reloaded 2.7.5): ``_ids`` is
    # the current block's docnums once ``_read_ids()`` has run; ``_next_block()`` moves on.
    while leaf.is_active():
        if leaf._ids is None:
            leaf._read_ids()
        blocks.append(np.asarray(leaf._ids[leaf._i :], dtype=np.int64))
        leaf._i = leaf._blocklength
        leaf._next_block()
    return np.concatenate(blocks) if blocks else np.empty(0, dtype=np.int64)


def top_of_subset(searcher, node, docnums: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (docnum, score) among ``docnums`` (sorted), best first.

    Whoosh's ``filter=`` visits every document the words match and looks each up in a Python
    set; here the matcher jumps (``skip_to``, block by block) straight to the filtered
    documents, so a filter narrowing 50,000 matches to 2,000 costs 2,000 steps.
    Ties go to the lower docnum, as in Whoosh's own collector.
    """
    context = searcher.context()
    scored: list[tuple[float, int]] = []
    for subsearcher, offset in leaves(searcher):
        count = subsearcher.doc_count_all()
        local = docnums[(docnums >= offset) & (docnums < offset + count)] - offset
        if not len(local):
            continue
        matcher = node.matcher(subsearcher, context)
        for docnum in local.tolist():
            if not matcher.is_active():
                break
            try:
                matcher.skip_to(docnum)
            except ReadTooFar:
                break
            if matcher.is_active() and matcher.id() == docnum:
                scored.append((matcher.score(), -(docnum + offset)))
    best = heapq.nlargest(limit, scored)
    return [(-negative_docnum, score) for score, negative_docnum in best]
