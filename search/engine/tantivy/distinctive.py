"""Word and phrase counts of some articles against the whole index (``term_counts``), as the
Whoosh engine counts them: the stored title and body analysed again with the app's analyser
(``term_counting.foreground``); a word's archive count is of the articles with it in title or
body, a phrase's of those with both its words anywhere (never fewer than have the phrase).
"""

from __future__ import annotations

from collections.abc import Sequence

from tantivy import Occur, Query

from search.engine.contract import TermCounts
from search.engine.tantivy import storage
from search.engine.tantivy.schema import TEXT_FIELDS
from search.engine.tantivy.searching import compiled_query, count, current_searcher
from search.engine.term_counting import foreground, term_counts_of_sample


@storage.reporting_damage
def term_counts(
    article_ids: Sequence[int], *, q: str, min_matches: int, deadline: float
) -> TermCounts:
    index, searcher = current_searcher()
    schema = index.schema
    texts = []
    for article_id in article_ids:
        found = searcher.search(Query.term_query(schema, "id", article_id), limit=1).hits
        if found:
            stored = searcher.doc(found[0][1])
            texts.append(
                (stored.get_first("title_text") or "", stored.get_first("body_text") or "")
            )
    searched = compiled_query(q, index, searcher)[0].terms if q.strip() else set()
    words, phrases = foreground(texts, searched=searched)

    def having(key: str) -> Query:
        return Query.boolean_query(
            [(Occur.Should, Query.term_query(schema, name, key)) for name in TEXT_FIELDS]
        )

    def phrase_count(key: str) -> int:
        first, second = key.split()
        both = Query.boolean_query([(Occur.Must, having(first)), (Occur.Must, having(second))])
        return count(searcher, both)

    return term_counts_of_sample(
        sampled=len(texts),
        archive=searcher.num_docs,
        words=words,
        phrases=phrases,
        word_count=lambda key: count(searcher, having(key)),
        phrase_count=phrase_count,
        min_matches=min_matches,
        deadline=deadline,
    )
