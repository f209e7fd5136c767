"""Costly searches take turns: a machine-wide limit on how many run at once.

A per-query bound (expansion caps, the time budget) keeps one hostile query short, but four
of them at once still take every core of a small machine from everyone else. So a search
whose shape makes it expensive (a prefix, many words, a long phrase) first takes one of a few
slots, shared by every worker process and thread of this machine; ordinary searches never
wait. The slots are ``flock`` locks on files in the temporary directory: the kernel releases
them when a process dies, so a killed worker never keeps a slot, and each attempt opens its
own file, so threads of one process exclude each other too.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from search.conf import get_setting
from search.engine.errors import SearchBusy
from search.query_language import Node, Phrase, Term, leaves

# What makes a search costly: each prefix reads up to 50 words' postings; many words or a
# long phrase read many postings (and a phrase their positions too).
MAX_CHEAP_WORDS = 6
MAX_CHEAP_PHRASE_WORDS = 4
POLL_SECONDS = 0.02

BUSY_MESSAGE = (
    "Too many costly searches (prefixes, long phrases, many words) are running right now. "
    "Please try again in a few seconds, or make the search more specific."
)


def is_costly(tree: Node | None) -> bool:
    words = 0
    for leaf, _negated in leaves(tree):
        if isinstance(leaf, Term) and leaf.prefix:
            return True
        phrase_words = len(leaf.text.split()) if isinstance(leaf, Phrase) else 1
        if phrase_words > MAX_CHEAP_PHRASE_WORDS:
            return True
        words += phrase_words
    return words > MAX_CHEAP_WORDS


def slot_count() -> int:
    configured = get_setting("COSTLY_SEARCH_SLOTS")
    return configured if configured else max(1, (os.cpu_count() or 2) // 2)


def slots_directory() -> Path:
    """One directory per archive (its data directory), outside it: it may be read-only."""
    archive = hashlib.sha256(str(Path(settings.DATA_DIR).resolve()).encode()).hexdigest()[:16]
    directory = Path(tempfile.gettempdir()) / f"newsroom-costly-searches-{archive}"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


@contextmanager
def costly_search_slot() -> Iterator[None]:
    """Hold one slot while the block runs; raise SearchBusy if none frees up in time."""
    paths = [slots_directory() / f"slot-{number}.lock" for number in range(slot_count())]
    deadline = time.monotonic() + get_setting("COSTLY_SEARCH_WAIT")
    while True:
        for path in paths:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(descriptor)
                continue
            try:
                yield
                return
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
                os.close(descriptor)
        if time.monotonic() >= deadline:
            raise SearchBusy(BUSY_MESSAGE)
        time.sleep(POLL_SECONDS)
