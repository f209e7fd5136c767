"""The curation admin: one module per kind of thing an editor looks after."""

from search.curation.admin import articles, saved_searches, taxonomy

__all__ = ["articles", "saved_searches", "taxonomy"]
