"""Word and phrase counts of some articles against the whole index (``term_counts``).

A word is a lexeme of the entry's ``document`` (title and body, as the index keeps them), a
phrase two lexemes at positions side by side (a stop word between them keeps its position, so
it is a gap, as in a search). The form shown is the commonest written word of the sample with
that lexeme. The archive's count of a word is of the entries with it; of a phrase, of those
with both its words (at least those with the phrase: a phrase scores no higher than it should).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from search.engine.contract import TermCounts
from search.engine.postgres.compiling import CONFIG, quoted
from search.engine.postgres.connection import reading
from search.engine.term_counting import term_counts_of_sample

WRITTEN_WORD = re.compile(r"\w+", re.UNICODE)


def term_counts(
    article_ids: Sequence[int], *, q: str, min_matches: int, deadline: float
) -> TermCounts:
    with reading() as cursor:
        cursor.execute(
            """SELECT e.article_id, u.lexeme, u.positions
               FROM search_engine_entry e, unnest(e.document) AS u(lexeme, positions, weights)
               WHERE e.article_id = ANY(%s)""",
            [list(article_ids)],
        )
        positions: dict[int, dict[int, str]] = {}
        for article_id, lexeme, at in cursor.fetchall():
            if lexeme.isalpha():
                positions.setdefault(article_id, {}).update(dict.fromkeys(at or (), lexeme))
        cursor.execute(f"SELECT lexeme FROM unnest(to_tsvector('{CONFIG}', %s))", [q])
        searched = {row[0] for row in cursor.fetchall()}
        written = written_forms(cursor, list(positions))
        words: dict[str, Counter] = {}
        phrases: dict[str, Counter] = {}
        for by_position in positions.values():
            kept = {at: lexeme for at, lexeme in by_position.items() if lexeme not in searched}
            for lexeme in set(kept.values()):
                words.setdefault(lexeme, Counter())[written.get(lexeme, lexeme)] += 1
            pairs = {(kept[at], kept[at + 1]) for at in kept if at + 1 in kept}
            for first, second in pairs:
                shown = f"{written.get(first, first)} {written.get(second, second)}"
                phrases.setdefault(f"{first} {second}", Counter())[shown] += 1

        def archive_count(tsquery: str) -> int:
            cursor.execute(
                "SELECT count(*) FROM search_engine_entry WHERE document @@ %s::tsquery",
                [tsquery],
            )
            return cursor.fetchone()[0]

        def word_count(key: str) -> int:
            return archive_count(quoted(key))

        def phrase_count(key: str) -> int:
            return archive_count(" & ".join(quoted(lexeme) for lexeme in key.split()))

        cursor.execute("SELECT count(*) FROM search_engine_entry")
        archive = cursor.fetchone()[0]
        return term_counts_of_sample(
            sampled=len(positions),
            archive=archive,
            words=words,
            phrases=phrases,
            word_count=word_count,
            phrase_count=phrase_count,
            min_matches=min_matches,
            deadline=deadline,
        )


def written_forms(cursor, article_ids: list[int]) -> dict[str, str]:
    """Lexeme -> the commonest lowercased word of these entries' text that it stands for."""
    cursor.execute(
        "SELECT title || ' ' || body FROM search_engine_entry WHERE article_id = ANY(%s)",
        [article_ids],
    )
    seen: Counter = Counter()
    for (text,) in cursor.fetchall():
        seen.update(word.lower() for word in WRITTEN_WORD.findall(text))
    cursor.execute(
        f"""SELECT w, u.lexeme FROM unnest(%s::text[]) AS w
            CROSS JOIN LATERAL unnest(to_tsvector('{CONFIG}', w)) AS u(lexeme, at, weights)""",
        [list(seen)],
    )
    forms: dict[str, str] = {}
    for word, lexeme in sorted(cursor.fetchall(), key=lambda row: -seen[row[0]]):
        forms.setdefault(lexeme, word)
    return forms
