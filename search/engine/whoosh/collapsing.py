"""One hit a story: collapsing near-duplicate copies, and counting stories, over docnum arrays.

Most articles have no other version, so the work is confined to the documents that share
their story with another (``repeated``, known once a snapshot): a search that matches none of
them costs one mask operation more than without collapsing.
"""

from __future__ import annotations

import numpy as np


def repeated_stories(story: np.ndarray, live: np.ndarray) -> np.ndarray:
    """bool per docnum: a live document whose story has another live document."""
    keys, counts = np.unique(story[live], return_counts=True)
    return live & np.isin(story, keys[counts > 1])


def one_per_story(
    matched: np.ndarray, *, story: np.ndarray, repeated: np.ndarray, priority: np.ndarray
) -> np.ndarray:
    """``matched`` with only the first copy of each story: the highest ``priority`` (the
    score, or the date the results are sorted by), ties to the lower docnum."""
    copies = np.flatnonzero(matched & repeated)
    if not len(copies):
        return matched
    shown = matched & ~repeated
    order = copies[np.lexsort((copies, -priority[copies]))]
    _keys, first = np.unique(story[order], return_index=True)
    shown[order[first]] = True
    return shown


def count_stories(docnums: np.ndarray, *, story: np.ndarray, repeated: np.ndarray) -> int:
    """How many stories these (matching) documents are versions of."""
    copies = repeated[docnums]
    return int(len(docnums) - copies.sum() + len(np.unique(story[docnums[copies]])))


def stories_by_year(
    docnums: np.ndarray, *, year: np.ndarray, story: np.ndarray, repeated: np.ndarray
) -> np.ndarray:
    """Stories per year (index: the year) among these documents; a story with copies in two
    years counts in both."""
    copies = repeated[docnums]
    singles = docnums[~copies]
    pairs = np.unique(np.stack([year[docnums[copies]], story[docnums[copies]]]), axis=1)
    return np.bincount(np.concatenate([year[singles], pairs[0]]), minlength=1)
