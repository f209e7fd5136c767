"""Curation: what editors do in the Django admin.

``admin`` (one module per kind of thing an editor looks after) stays thin: reads are in
``selectors`` (what an edit or the cleaner changed), writes in ``services`` (editors' decisions,
re-cleaning, re-tagging); ``curation_data`` loads the minister gazetteer and topic rules an
editor keeps as a file (``seeds/curation.json``).

May import the shared root and every room but the web layer: ``search.ingest`` (re-cleaning
and re-tagging run its rules), ``search.stories``, ``search.desk``, ``search.accounts``,
``search.operations`` and ``search.engine``. Never the web layer, which never imports it.
"""
