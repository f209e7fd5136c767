"""Ingest: files -> drafts -> article rows.

``sources`` reads files into source documents and ``sites`` names their site; ``cleaning``
(with ``reflowing``, ``cleaning_lines`` and ``cleaning_html``) keeps the article and records
what it removed, on the ``evidence`` of lines repeated across a site; ``extraction`` and
``taxonomy`` read the title, date, ministers and topics; ``drafting`` turns one document into
a plain draft (``parallel`` does it in worker processes); ``draft_writes`` writes a batch of
drafts; ``importing`` runs the whole pipeline; ``recleaning`` cleans stored articles again.

May import: the shared root (models, conf, documents), ``search.stories`` (new articles join
their stories), ``search.operations`` (the index queue) and ``search.engine``. Never the web
layer, the desk, accounts or curation: ingest runs from the command line as well as from the
admin.
"""
