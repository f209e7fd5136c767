"""The archive's tables: every Django model of the ``search`` app, importable from here.

``archive``: articles, the ministers and topics they are tagged with, saved searches, the
index queue and the evidence counts; ``accounts``: what accounts own besides their password;
``batches``: batch searches kept for their user; ``alerts``: alerts on saved searches and
their mails; ``triage``: stars, labels, notes and label actions; ``bulk_rows``: writing many
rows with one prepared statement.

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
from search.models.triage import LABEL_COLOURS, ArticleLabel, Label, LabelAction, Note, Star

__all__ = [
    "Alert",
    "AlertDelivery",
    "AlertSentArticle",
    "ApiToken",
    "Article",
    "ArticleLabel",
    "BatchSearch",
    "CountedAttempt",
    "ExportRecord",
    "FeedToken",
    "FormerMinisterSlug",
    "LABEL_COLOURS",
    "Label",
    "LabelAction",
    "LoginFailure",
    "Minister",
    "NearDuplicateBand",
    "NearDuplicateSignature",
    "Note",
    "PasswordResetRequest",
    "PendingIndexChange",
    "SavedSearch",
    "SourceLineCount",
    "Star",
    "Topic",
]
