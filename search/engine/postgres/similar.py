"""More like this: the articles sharing most of an article's most frequent words."""

from __future__ import annotations

from search.engine.postgres.compiling import quoted
from search.engine.postgres.connection import reading

WORDS = 12


def more_like_this(article_id: int, *, limit: int) -> list[int]:
    with reading() as cursor:
        cursor.execute(
            """SELECT u.lexeme
               FROM search_engine_entry e, unnest(e.document) AS u(lexeme, positions, weights)
               WHERE e.article_id = %s AND length(u.lexeme) > 2
               ORDER BY coalesce(array_length(u.positions, 1), 1) DESC, u.lexeme LIMIT %s""",
            [article_id, WORDS],
        )
        lexemes = [row[0] for row in cursor.fetchall()]
        if not lexemes:
            return []
        cursor.execute(
            """SELECT article_id FROM search_engine_entry, (SELECT %s::tsquery AS q) query
               WHERE document @@ query.q AND article_id <> %s
               ORDER BY ts_rank(document, query.q) DESC, article_id LIMIT %s""",
            [" | ".join(quoted(lexeme) for lexeme in lexemes), article_id, limit],
        )
        return [row[0] for row in cursor.fetchall()]
