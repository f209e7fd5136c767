""" "Did you mean": query words respelt from the archive's own vocabulary (pg_trgm).

``search_engine_word`` holds every word of the indexed articles, lower case and unaccented,
with the number of articles holding it; its trigram index finds the near spellings of a word
without reading the whole vocabulary. A word the archive has is never respelt; a respelt word
keeps its first letter and is within two letters of its length (as the Whoosh engine's); the
most similar wins, then the most common. Which words are respelt, and when the suggestion is
offered, is every engine's rule (``search.engine.respelling``).
"""

from __future__ import annotations


def better_spelling(cursor, word: str) -> str | None:
    """A better spelling of ``word`` from the vocabulary; None when it is known or has none."""
    cursor.execute(
        """
        WITH typed AS (SELECT lower(unaccent(%s)) AS word)
        SELECT EXISTS (SELECT 1 FROM search_engine_word w, typed WHERE w.word = typed.word),
            (SELECT w.word FROM search_engine_word w, typed
             WHERE w.word %% typed.word AND left(w.word, 1) = left(typed.word, 1)
                AND abs(length(w.word) - length(typed.word)) <= 2
             ORDER BY similarity(w.word, typed.word) DESC, w.documents DESC, w.word LIMIT 1)
        """,
        [word],
    )
    known, better = cursor.fetchone()
    return None if known else better
