"""The desk: what a reader keeps and takes away from a search.

Saved searches (``saved_searches``, ``saved_search_access``) and their Atom ``feeds``; the
``timeline`` of a search's matches; ``exports`` (CSV, JSON Lines, RIS) with their hourly
``export_limits``; ``citations``.

May import the shared root, ``search.engine`` (through its facade), ``search.accounts`` (the
allowances and clients behind the limits) and ``search.stories``. Never the web layer,
curation or ingest.
"""
