"""One module per ``manage.py`` command, each a thin shell over a room's plain functions
(``search.ingest``, ``search.operations``, ``search.curation``); progress bars in
``_progress``."""
