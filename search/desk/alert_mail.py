"""One alert mail: its new matches as the recipient may see them now, in a plain-text part and
an HTML part (every text escaped by the template; the engine's <mark> rebuilt, not trusted),
with RFC 8058 one-click unsubscribe for this alert alone."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from search.conf import get_setting
from search.desk.alerts import alert_search_query, matching_rows, site_url, unsubscribe_url
from search.desk.citations import web_address
from search.desk.saved_searches import describe
from search.models import Alert, AlertDelivery

SHOWN_IN_A_MAIL = 50
MARKED = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


@dataclass(frozen=True)
class SnippetPiece:
    text: str  # plain text; the template escapes it
    marked: bool


@dataclass(frozen=True)
class MailedArticle:
    title: str
    published: object  # datetime.date | None
    source: str  # the site it came from (a host name), "" for an imported file
    url: str
    ministers: tuple[str, ...]
    topics: tuple[str, ...]
    snippet: tuple[SnippetPiece, ...]

    @property
    def snippet_text(self) -> str:
        return "".join(piece.text for piece in self.snippet)


def snippet_pieces(snippet: str) -> tuple[SnippetPiece, ...]:
    """The engine's snippet (escaped text with <mark> around the words) as plain pieces."""
    pieces = []
    for index, part in enumerate(MARKED.split(snippet)):
        if part:
            pieces.append(SnippetPiece(html.unescape(part), marked=index % 2 == 1))
    return tuple(pieces)


def mailed_articles(delivery: AlertDelivery, *, alert: Alert) -> list[MailedArticle]:
    """The delivery's articles that still match and are published, newest first, up to 50.
    Raises engine.IndexUnavailable."""
    search_query = alert_search_query(alert)
    if search_query is None:
        return []
    wanted = set(delivery.article_ids)
    rows = [row for row in matching_rows(search_query) if row.article.pk in wanted]
    return [
        MailedArticle(
            title=row.article.title,
            published=row.article.published,
            source=urlsplit(web_address(row.article.source_url)).hostname or "",
            url=site_url(row.article.get_absolute_url()),
            ministers=tuple(minister.name for minister in row.article.ministers.all()),
            topics=tuple(topic.label for topic in row.article.topics.all()),
            snippet=snippet_pieces(row.snippet),
        )
        for row in rows[:SHOWN_IN_A_MAIL]
    ]


def compose(delivery: AlertDelivery, *, alert: Alert) -> EmailMultiAlternatives | None:
    """The mail, or None when its recipient has no address or none of it may be shown now."""
    articles = mailed_articles(delivery, alert=alert)
    if not articles or not alert.owner.email:
        return None
    saved_search = alert.saved_search
    unsubscribe = unsubscribe_url(alert)
    context = {
        "alert": alert,
        "name": saved_search.name,
        "description": describe(alert_search_query(alert)),
        "articles": articles,
        "new_matches": delivery.new_matches,
        "more": max(delivery.new_matches - len(articles), 0),
        "all_url": site_url(reverse("search:saved-search", args=[saved_search.slug])),
        "alerts_url": site_url(reverse("search:alerts")),
        "unsubscribe_url": unsubscribe,
        "last_of_the_day": delivery.last_of_the_day,
        "mails_per_day": get_setting("ALERT_MAILS_PER_DAY"),
    }
    count = f"{delivery.new_matches} new article{'s' if delivery.new_matches != 1 else ''}"
    message = EmailMultiAlternatives(
        subject=f"{count}: {' '.join(saved_search.name.split())}",
        body=render_to_string("search/mail/alert.txt", context),
        to=[alert.owner.email],
        headers={
            "Message-ID": delivery.message_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("search/mail/alert.html", context), "text/html")
    return message
