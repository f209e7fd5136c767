"""The curation admin: one module per kind of thing an editor looks after.

Registered from ``SearchConfig.ready``. The admin classes stay thin: what they show comes from
``search.curation.selectors``, what they change goes through ``search.curation.services``.
"""

from search.curation.admin import alerts, articles, labels, saved_searches, taxonomy

__all__ = ["alerts", "articles", "labels", "saved_searches", "taxonomy"]
