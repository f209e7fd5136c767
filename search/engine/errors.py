"""What any engine raises; the views turn these into clear 503 pages and messages.

Messages are shown to callers: they say what kind of problem it is and how to repair it, never
a file-system path or an error's own text (those go to the server log).
"""

REPAIR_HINT = "run `python manage.py check_index --repair` to rebuild it"


class IndexUnavailable(Exception):
    """The index is missing, damaged or unreadable; the message says how to repair it."""


class IndexDamaged(IndexUnavailable):
    """The index's files are not what their commit recorded (missing, truncated, garbled).

    ``detail`` names the file, for the server log only."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


class IndexOutdated(IndexUnavailable):
    """The index was written by another version of the schema: it needs a rebuild."""


class IndexBusy(Exception):
    """Another writer held the index for longer than the timeout; nothing was lost."""


class SearchBusy(IndexUnavailable):
    """Every slot for costly searches stayed taken for the whole wait; nothing is wrong."""
