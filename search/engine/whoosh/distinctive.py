"""Word and phrase counts of some articles against the whole index (``term_counts``).

The stored title and body of each article are analysed again with the app's one analyser
(``analysis.analyse``), so a word is counted under the stem the index keeps; a phrase is two
kept words side by side (a stop word between them is a gap, as in a search). The archive's
count of a word is of the documents with it (``DELETED_SHARE``); of a phrase, of the live
documents with both its words.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from search.engine.contract import TermCounts
from search.engine.term_counting import foreground, term_counts_of_sample
from search.engine.whoosh.phrases import term_mask
from search.engine.whoosh.searching import compiled_query, reading

# Up to this share of deleted documents (not merged away yet), words are counted from the term
# index, which counts them too.
DELETED_SHARE = 0.02


def term_counts(
    article_ids: Sequence[int], *, q: str, min_matches: int, deadline: float
) -> TermCounts:
    def count(snapshot, searcher) -> TermCounts:
        texts = []
        for article_id in article_ids:
            docnum = searcher.document_number(id=str(article_id))
            if docnum is not None and snapshot.live[docnum]:
                stored = searcher.stored_fields(docnum)
                texts.append((stored.get("title", ""), stored.get("body", "")))
        searched = compiled_query(q, searcher.reader())[0].terms if q.strip() else set()
        words, phrases = foreground(texts, searched=searched)

        size = len(snapshot.live)
        live = int(snapshot.live.sum())
        few_deleted = size - live <= DELETED_SHARE * size

        @cache
        def having(key: str) -> np.ndarray:
            """The live documents with the word in their title or body."""
            mask = term_mask(searcher, "title", key, size) | term_mask(searcher, "body", key, size)
            return mask & snapshot.live

        def word_count(key: str) -> int:
            if few_deleted:
                # The larger of its title and body counts, from the term index alone (a title's
                # words are nearly always in its body), where reading the postings costs
                # ~3 ms a common word. It counts deleted documents too: at most
                # DELETED_SHARE of the archive too many, which only makes a word look less
                # distinctive.
                frequency = max(searcher.doc_frequency(field, key) for field in ("title", "body"))
                return min(frequency, live)
            return int(having(key).sum())

        def phrase_count(key: str) -> int:
            # The documents with both words, anywhere: at least those with the phrase, so a
            # phrase scores no higher than it should. Checking each one's word positions
            # (a phrase search) costs 20-30 ms a phrase on Reuters-21578.
            first, second = key.split()
            return int((having(first) & having(second)).sum())

        return term_counts_of_sample(
            sampled=len(texts),
            archive=live,
            words=words,
            phrases=phrases,
            word_count=word_count,
            phrase_count=phrase_count,
            min_matches=min_matches,
            deadline=deadline,
        )

    return reading(count)
