"""The tag arrays behind the facet counts' keys (migration 0013: each entry's ministers and
topics arrays keyed by their 64-bit hash).

The counts group the matches by key and come back as keys; a key stands for one array for
ever (it is the array's hash), so an array once read stays right and is kept here, for any
thread of the process: a search reads arrays from the database only for keys the process has
not met yet, by the rows the counts name as examples. Nothing here goes stale when another
node writes: a new array is a new key. ``MOST`` bounds the memory; past it, all is forgotten.
"""

from __future__ import annotations

KNOWN: dict[int, tuple[str, ...]] = {}  # dict reads and writes are atomic in CPython
MOST = 100_000
COLUMNS = {"minister": ("ministers", "minister_key"), "topic": ("topics", "topic_key")}


def arrays(cursor, wanted: dict[tuple[str, int], int]) -> dict[int, tuple[str, ...]]:
    """Key -> its array, for ``wanted``: (kind, key) -> the id of an entry with that key."""
    found: dict[int, tuple[str, ...]] = {}
    missing: dict[tuple[str, int], int] = {}
    for (kind, key), example in wanted.items():
        known = KNOWN.get(key)
        if known is None:
            missing[(kind, key)] = example
        else:
            found[key] = known
    if not missing:
        return found
    cursor.execute(
        "SELECT article_id, ministers, minister_key, topics, topic_key FROM search_engine_entry"
        " WHERE article_id = ANY(%s)",
        [list(set(missing.values()))],
    )
    rows = {row[0]: row[1:] for row in cursor.fetchall()}
    if len(KNOWN) + len(missing) > MOST:
        KNOWN.clear()
    for (kind, key), example in missing.items():
        ministers, minister_key, topics, topic_key = rows.get(example, (None,) * 4)
        array, array_key = (ministers, minister_key) if kind == "minister" else (topics, topic_key)
        if array_key != key:  # the example was edited or deleted since the counts: any other
            array = array_with_key(cursor, kind, key)
        found[key] = KNOWN[key] = tuple(array)
    return found


def array_with_key(cursor, kind: str, key: int) -> list[str]:
    column, key_column = COLUMNS[kind]
    cursor.execute(
        f"SELECT {column} FROM search_engine_entry WHERE {key_column} = %s LIMIT 1", [key]
    )
    row = cursor.fetchone()
    return row[0] if row else []
