"""The desk: what a reader keeps and takes away from a search.

Saved searches (``saved_searches``, ``saved_search_access``) and their Atom ``feeds``; the
``timeline`` of a search's matches; ``batches`` of queries with their ``batch_tables``, and
``comparisons`` over time with their ``comparison_chart`` (both count through ``counting``);
``exports`` (CSV, JSON Lines, RIS) with their hourly ``export_limits``; ``citations``.

May import the shared root and the rooms below it: ``search.accounts`` (the allowances and
clients behind the limits), ``search.ingest``, ``search.stories``, ``search.operations`` and
``search.engine`` (through its facade). Never the web layer or curation.
"""
