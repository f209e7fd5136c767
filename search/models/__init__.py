"""The archive's tables: every Django model of the ``search`` app, importable from here.

``archive``: articles, the ministers and topics they are tagged with, saved searches, the
index queue and the evidence counts; ``accounts``: what accounts own besides their password;
``batches``: batch searches kept for their user; ``alerts``: alerts on saved searches and
their mails; ``bulk_rows``: writing many rows with one prepared statement.

May import: Django and ``search.documents`` only. Every room may import the models.
"""

from search.models.accounts import (
    ApiToken,
    CountedAttempt,
    FeedToken,
    LoginFailure,
    PasswordResetRequest,
)
from search.models.alerts import Alert, AlertDelivery, AlertSentArticle
from search.models.archive import (
    Article,
    ExportRecord,
    FormerMinisterSlug,
    Minister,
    NearDuplicateBand,
    NearDuplicateSignature,
    PendingIndexChange,
    SavedSearch,
    SourceLineCount,
    Topic,
)
from search.models.batches import BatchSearch

__all__ = [
    "Alert",
    "AlertDelivery",
    "AlertSentArticle",
    "ApiToken",
    "Article",
    "BatchSearch",
    "CountedAttempt",
    "ExportRecord",
    "FeedToken",
    "FormerMinisterSlug",
    "LoginFailure",
    "Minister",
    "NearDuplicateBand",
    "NearDuplicateSignature",
    "PasswordResetRequest",
    "PendingIndexChange",
    "SavedSearch",
    "SourceLineCount",
    "Topic",
]
