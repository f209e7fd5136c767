"""The tag arrays behind the facet counts' keys (migration 0013: each entry's ministers and
topics arrays keyed by their 64-bit hash).

The counts group the matches by key and come back as keys; a key stands for one array for
ever (it is the array's hash), so an array once read stays right and is kept in ``KNOWN``, for
any thread of the process: a search reads arrays from the database only for keys the process
has not met yet, by the rows the counts name as examples. Nothing here goes stale when another
node writes: a new array is a new key.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

COLUMNS = {"minister": ("ministers", "minister_key"), "topic": ("topics", "topic_key")}


class KnownTagSets:
    """The arrays a process has read, by key, shared by its threads: one owner, one lock.

    ``most`` bounds the memory; past it, all is forgotten at once: the arrays still in use are
    read again by the next searches that meet their keys.
    """

    def __init__(self, *, most: int) -> None:
        self._lock = threading.Lock()
        self._arrays: dict[int, tuple[str, ...]] = {}
        self.most = most

    def known(self, keys: Iterable[int]) -> dict[int, tuple[str, ...]]:
        """Those of ``keys`` whose array is kept, with their arrays."""
        with self._lock:
            return {key: self._arrays[key] for key in keys if key in self._arrays}

    def keep(self, arrays: dict[int, tuple[str, ...]]) -> None:
        """Keep ``arrays`` (key -> array), forgetting all first when they would pass ``most``."""
        with self._lock:
            if len(self._arrays) + len(arrays) > self.most:
                self._arrays.clear()
            self._arrays.update(arrays)

    def forget(self) -> None:
        with self._lock:
            self._arrays.clear()


KNOWN = KnownTagSets(most=100_000)


def arrays(cursor, wanted: dict[tuple[str, int], int]) -> dict[int, tuple[str, ...]]:
    """Key -> its array, for ``wanted``: (kind, key) -> the id of an entry with that key."""
    found = KNOWN.known(key for _kind, key in wanted)
    missing = {(kind, key): example for (kind, key), example in wanted.items() if key not in found}
    if not missing:
        return found
    cursor.execute(
        "SELECT article_id, ministers, minister_key, topics, topic_key FROM search_engine_entry"
        " WHERE article_id = ANY(%s)",
        [list(set(missing.values()))],
    )
    rows = {row[0]: row[1:] for row in cursor.fetchall()}
    read: dict[int, tuple[str, ...]] = {}
    for (kind, key), example in missing.items():
        ministers, minister_key, topics, topic_key = rows.get(example, (None,) * 4)
        array, array_key = (ministers, minister_key) if kind == "minister" else (topics, topic_key)
        if array_key != key:  # the example was edited or deleted since the counts: any other
            array = array_with_key(cursor, kind, key)
        read[key] = tuple(array)
    KNOWN.keep(read)
    found.update(read)
    return found


def array_with_key(cursor, kind: str, key: int) -> list[str]:
    column, key_column = COLUMNS[kind]
    cursor.execute(
        f"SELECT {column} FROM search_engine_entry WHERE {key_column} = %s LIMIT 1", [key]
    )
    row = cursor.fetchone()
    return row[0] if row else []
