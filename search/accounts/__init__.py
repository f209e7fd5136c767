"""Accounts: who is asking and what they may do.

``access`` decides private mode for every URL; ``views``, ``forms`` and ``urls`` are the
sign-in, password and token pages; ``api_tokens`` and ``feed_tokens`` are the secrets scripts
and feed readers carry; ``clients`` names an anonymous client; ``allowances``,
``login_throttle`` and ``reset_throttle`` count what a client or an account may do.

May import the shared root and the rooms below it (``search.stories``, ``search.operations``,
``search.engine``); it needs only the shared root (models, conf). Never ingest, the desk,
curation or the web layer.
"""
