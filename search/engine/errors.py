"""What any engine raises; the views turn these into clear 503 pages and messages."""


class IndexUnavailable(Exception):
    """The index is missing, damaged or unreadable; the message says how to repair it."""


class IndexOutdated(IndexUnavailable):
    """The index was written by another version of the schema: it needs a rebuild."""


class IndexBusy(Exception):
    """Another writer held the index for longer than the timeout; nothing was lost."""


class SearchBusy(IndexUnavailable):
    """Every slot for costly searches stayed taken for the whole wait; nothing is wrong."""
