"""The embedded engine for large archives: a tantivy index in a directory on this machine
(``SEARCH_ENGINE=tantivy``; issue 26).

Implements the contract in ``search.engine.contract`` with tantivy's public Python API; the
app reaches it only through ``search.engine``. Text is analysed by the app's own analyser
(``search.engine.analysis``), so it finds the same articles as the other engines.
"""

from search.engine.tantivy import storage
from search.engine.tantivy.distinctive import term_counts as term_counts
from search.engine.tantivy.searching import highlight as highlight
from search.engine.tantivy.searching import indexed_versions as indexed_versions
from search.engine.tantivy.searching import more_like_this as more_like_this
from search.engine.tantivy.searching import search as search
from search.engine.tantivy.storage import require_current_schema as require_current_schema
from search.engine.tantivy.writing import open_writer as open_writer
from search.engine.tantivy.writing import rebuild as rebuild

TANTIVY_VERSION = "0.27.0"


def keeps_itself_current() -> bool:
    """No: the index is files on this machine, written after each commit from the queue."""
    return False


def check_installation() -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("tantivy")
    except PackageNotFoundError:
        installed = None
    if installed != TANTIVY_VERSION:
        raise RuntimeError(
            f"SEARCH_ENGINE=tantivy needs tantivy=={TANTIVY_VERSION} (pip install -r "
            f"requirements.txt); found {installed or 'none'}."
        )


def index_exists() -> bool:
    return storage.live_generation_dir() is not None


def reset() -> None:
    storage.reset()
