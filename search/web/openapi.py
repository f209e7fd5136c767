"""The OpenAPI 3.1 description of the JSON API (tests check real responses against it)."""

from __future__ import annotations

from search.query import MAX_PER_PAGE, SORTS
from search.web.openapi_errors import with_every_error
from search.web.openapi_triage import TRIAGE_PATHS, TRIAGE_SCHEMAS, TRIAGE_SEARCH_PARAMETERS

NULLABLE_STRING = {"type": ["string", "null"]}
# A date, or empty: the filter form sends its date fields empty when they are not filled in.
DATE_OR_EMPTY = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]
}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_YEAR = {"type": ["integer", "null"]}

# The fields every article representation shares (search hits and the article endpoint).
ARTICLE_SUMMARY = {
    "id": {"type": "integer"},
    "title": {"type": "string"},
    "url": {"type": "string", "format": "uri", "description": "Its page in this app."},
    "published": NULLABLE_DATE,
    "year": NULLABLE_YEAR,
    "ministers": {"type": "array", "items": {"$ref": "#/components/schemas/MinisterRef"}},
    "topics": {"type": "array", "items": {"$ref": "#/components/schemas/TopicRef"}},
}


def article_schema(extra: dict, optional: dict | None = None) -> dict:
    """Every property required but the ``optional`` ones (shown to some readers only)."""
    properties = {**ARTICLE_SUMMARY, **extra}
    return {
        "type": "object",
        "required": list(properties),
        "properties": {**properties, **(optional or {})},
    }


SCHEMAS = {
    "MinisterRef": {
        "type": "object",
        "required": ["slug", "name"],
        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
    },
    "TopicRef": {
        "type": "object",
        "required": ["slug", "label"],
        "properties": {"slug": {"type": "string"}, "label": {"type": "string"}},
    },
    "Hit": article_schema(
        {
            "title_highlighted": {
                "type": "string",
                "description": "Safe HTML: escaped text with matched words in <mark>.",
            },
            "snippet": {
                "type": "string",
                "description": "Safe HTML: up to three fragments, matched words in <mark>.",
            },
            "other_versions": {
                "type": "integer",
                "minimum": 0,
                "description": "How many other published versions its story has in the whole "
                "archive (copies, corrections, the fuller or the first report); the article "
                "endpoint lists them.",
            },
        },
        optional={
            "labels": {
                "type": "array",
                "description": "Its shared labels (readers who may see them).",
                "items": {
                    "type": "object",
                    "required": ["name", "slug"],
                    "properties": {"name": {"type": "string"}, "slug": {"type": "string"}},
                },
            },
            "notes": {
                "type": "integer",
                "minimum": 0,
                "description": "The notes on it you can read (yours and the shared ones).",
            },
        },
    ),
    "FacetValue": {
        "type": "object",
        "required": ["value", "label", "count", "selected"],
        "properties": {
            "value": {"type": ["string", "integer"]},
            "label": {"type": "string"},
            "count": {"type": "integer", "minimum": 0},
            "selected": {"type": "boolean"},
        },
    },
    "DateHistogram": {
        "type": ["object", "null"],
        "description": (
            "How the matches spread over time (the timeline): by year, or by month when one "
            "year is chosen or from/to span two years or less. Every period from the first to "
            "the last is listed, those without matches with count 0; undated articles are not "
            "counted. By year the counts are the year facet's (every filter but the years), by "
            "month they count the results. Null when the search was cut short."
        ),
        "required": ["interval", "buckets"],
        "properties": {
            "interval": {"type": "string", "enum": ["year", "month"]},
            "buckets": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["period", "label", "start", "end", "count", "selected"],
                    "properties": {
                        "period": {
                            "type": "string",
                            "pattern": "^[0-9]{1,4}(-[0-9]{2})?$",
                            "description": "2024 (a year, no leading zeros) or 2024-03 (a month).",
                        },
                        "label": {"type": "string"},
                        "start": {"type": "string", "format": "date"},
                        "end": {"type": "string", "format": "date"},
                        "count": {"type": "integer", "minimum": 0},
                        "selected": {
                            "type": "boolean",
                            "description": "The search is narrowed to this period.",
                        },
                    },
                },
            },
        },
    },
    "Relaxed": {
        "type": ["object", "null"],
        "description": (
            "Not null when fewer than 3 articles have every word of a query of 3 plain words "
            "or more without AND, OR or a prefix: the hits then have all but one of its 3-5 "
            "words, or (when fewer than 3 have that many, or it has more words) any of them, "
            "best first; its phrases, fields and exclusions still hold."
        ),
        "required": [
            "message",
            "words",
            "minimum",
            "every_word_total",
            "every_word_q",
            "every_word_url",
        ],
        "properties": {
            "message": {"type": "string", "description": "What the page says."},
            "words": {
                "type": "array",
                "items": {"type": "string"},
                "description": "The query's words that count (stop words left out), as typed.",
            },
            "minimum": {"type": "integer", "minimum": 1, "description": "Words each hit has."},
            "every_word_total": {
                "type": "integer",
                "minimum": 0,
                "description": "Articles with every word.",
            },
            "every_word_q": {
                "type": "string",
                "description": "The query requiring every word (joined by AND: never relaxed).",
            },
            "every_word_url": {
                "type": "string",
                "format": "uri",
                "description": "This search with every_word_q, on page 1.",
            },
        },
    },
    "Understood": {
        "type": ["object", "null"],
        "description": (
            "How the query was read (null without a query): the page's line under the search "
            "box, and each part with the query without it."
        ),
        "required": ["text", "parts"],
        "properties": {
            "text": {"type": "string", "description": "The line the page shows."},
            "parts": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["kind", "text", "detail", "without", "without_url"],
                    "properties": {
                        "kind": {
                            "type": "string",
                            "enum": [
                                "required",
                                "excluded",
                                "phrase",
                                "field",
                                "one_of",
                                "prefix",
                                "stop_word",
                                "plain_text",
                                "relaxed",
                            ],
                            "description": (
                                "required: a word every match has; excluded: -word or NOT; "
                                "phrase: words in order; field: title: or body:; one_of: an "
                                "OR group; prefix: word*, detail naming the words it searched "
                                "and whether its bound cut them; stop_word: too common, "
                                "ignored; plain_text: syntax read as text (parentheses "
                                "around words, ?, quotes around one word); relaxed: a "
                                "question searched for most (or any) of its words."
                            ),
                        },
                        "text": {"type": "string", "description": "The part as typed."},
                        "detail": {"type": "string", "description": "How it was read, or ''."},
                        "without": {
                            "type": "string",
                            "description": "The query without this part (a field, a phrase's "
                            "quotes or a prefix's star removed; every word required instead of "
                            "most of them).",
                        },
                        "without_url": {
                            "type": "string",
                            "format": "uri",
                            "description": "This search with 'without' as its query, page 1.",
                        },
                    },
                },
            },
        },
    },
    "SearchResponse": {
        "type": "object",
        "required": [
            "query",
            "total",
            "page",
            "pages",
            "per_page",
            "took_ms",
            "hits",
            "facets",
            "suggestion",
            "notices",
            "relaxed",
            "understood",
            "date_histogram",
        ],
        "properties": {
            "query": {"type": "string"},
            "total": {
                "type": "integer",
                "minimum": 0,
                "description": "Stories (near-duplicate copies counted once); "
                "articles with copies=all.",
            },
            "copies": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "Articles counting every copy; null with copies=all.",
            },
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "took_ms": {"type": "number"},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {
                "type": "object",
                "required": ["minister", "topic", "year"],
                "properties": {
                    name: {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
                    for name in ("minister", "topic", "year", "label")
                },
                "description": "label: shared labels (for signed-in readers, or anonymous "
                "ones where NEWSROOM_PUBLIC_TRIAGE allows).",
            },
            "suggestion": NULLABLE_STRING,
            "notices": {"type": "array", "items": {"type": "string"}},
            "relaxed": {"$ref": "#/components/schemas/Relaxed"},
            "understood": {"$ref": "#/components/schemas/Understood"},
            "date_histogram": {"$ref": "#/components/schemas/DateHistogram"},
            "distinctive": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/DistinctiveTerm"},
                "description": "Only with distinctive=1: what the best matches (up to 200) "
                "have far more often than the whole archive, by kind, then most distinctive "
                "first.",
            },
        },
    },
    "DistinctiveTerm": {
        "type": "object",
        "required": ["term", "kind", "score", "matches"],
        "properties": {
            "term": {
                "type": "string",
                "description": "The word or phrase as written, or the minister's or topic's name.",
            },
            "kind": {"type": "string", "enum": ["word", "phrase", "minister", "topic"]},
            "score": {
                "type": "number",
                "description": "Log-likelihood ratio (G²) against the rest of the archive.",
            },
            "matches": {"type": "integer", "minimum": 1, "description": "Sampled matches with it."},
            "url": {"type": "string", "format": "uri", "description": "The search narrowed by it."},
        },
    },
    "Article": article_schema(
        {
            "body": {
                "type": "string",
                "description": "The clean text, paragraphs split by blank lines.",
            },
            "source": {"type": "string", "description": "The source URL, else the file path."},
            "more_like_this": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "title", "url"],
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                    },
                },
            },
            "versions": {
                "type": "array",
                "description": "The other published versions of its story, oldest first.",
                "items": {
                    "type": "object",
                    "required": ["id", "title", "published", "source", "url"],
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "published": NULLABLE_DATE,
                        "source": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                    },
                },
            },
        }
    ),
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string"},
            "parameter": {"type": "string", "description": "The invalid parameter, if any."},
        },
    },
}


def parameter(name: str, schema: dict, description: str, *, repeat: bool = False) -> dict:
    if repeat:
        schema = {"type": "array", "items": schema}
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **({"style": "form", "explode": True} if repeat else {}),
    }


def json_response(description: str, schema: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


UNAUTHORIZED = "A private archive, and no valid API token"

ALERT_SCHEDULE = {
    "frequency": {
        "type": "string",
        "enum": ["arrive", "daily"],
        "description": "arrive: checked every few minutes; daily: a digest at digest_hour.",
    },
    "digest_hour": {"type": "integer", "minimum": 0, "maximum": 23},
    "time_zone": {"type": "string", "description": "An IANA time zone, such as Europe/Paris."},
    "active": {"type": "boolean", "description": "false stops the alert."},
}
ALERT_SCHEMAS = {
    "Alert": {
        "type": "object",
        "required": [
            "id",
            "saved_search",
            "frequency",
            "digest_hour",
            "time_zone",
            "active",
            "created",
            "last_checked",
            "mail_refused",
            "mail_given_up",
        ],
        "properties": {
            "id": {"type": "integer"},
            "saved_search": {
                "type": "object",
                "required": ["slug", "name", "url"],
                "properties": {
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                },
            },
            **ALERT_SCHEDULE,
            "created": {"type": "string", "format": "date-time"},
            "last_checked": {"type": ["string", "null"], "format": "date-time"},
            "mail_refused": {
                "type": ["object", "null"],
                "description": "Your mail address, refused for good by its mail server (an "
                "SMTP 5xx): this alert's mails wait until it is corrected. null: no refusal.",
                "required": ["address", "status", "since"],
                "properties": {
                    "address": {"type": "string"},
                    "status": {"type": "string", "description": "The SMTP status, such as 550."},
                    "since": {"type": ["string", "null"], "format": "date-time"},
                },
            },
            "mail_given_up": {
                "type": ["object", "null"],
                "description": "This alert's latest mail, given up: its mail server did not take "
                "it (it could not be reached, or answered 'try again later') for "
                "NEWSROOM_ALERT_MAIL_LIFETIME_DAYS. Its matches are not mailed again; new "
                "matches are. null: the latest mail was not given up.",
                "required": ["new_matches", "found", "given_up"],
                "properties": {
                    "new_matches": {"type": "integer"},
                    "found": {"type": "string", "format": "date-time"},
                    "given_up": {"type": "string", "format": "date-time"},
                },
            },
        },
    },
    "AlertList": {
        "type": "object",
        "required": ["alerts"],
        "properties": {
            "alerts": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}}
        },
    },
    "AlertRequest": {
        "type": "object",
        "required": ["saved_search"],
        "properties": {
            "saved_search": {
                "type": "string",
                "description": "The slug of your own saved search or a listed one.",
            },
            **ALERT_SCHEDULE,
        },
    },
}
ALERTS_PATH = {
    "get": {
        "operationId": "alerts",
        "summary": "Your alerts on saved searches",
        "security": [{"apiToken": []}],
        "responses": {
            "200": json_response("Your alerts", "AlertList"),
            "401": json_response("Not signed in, and no valid API token", "Error"),
        },
    },
    "post": {
        "operationId": "alertSet",
        "summary": "Turn an alert on (or change or stop it, active: false); API token only",
        "description": "Only what is new after it is turned on is mailed. Limits: alerts per "
        "user (NEWSROOM_ALERTS_PER_USER) and mails per user a day.",
        "security": [{"apiToken": []}],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/AlertRequest"}}
            },
        },
        "responses": {
            "200": json_response("The alert, changed", "Alert"),
            "201": json_response("The alert, turned on", "Alert"),
            "400": json_response("A value that is not allowed, or a limit reached", "Error"),
            "401": json_response("No valid API token", "Error"),
            "403": json_response("Signed in by a session cookie, not a token", "Error"),
            "404": json_response("No saved search with this slug that you may follow", "Error"),
        },
    },
}


FILTER_PROPERTIES = {
    "minister": {"type": ["string", "array"], "items": {"type": "string"}},
    "topic": {"type": ["string", "array"], "items": {"type": "string"}},
    "year": {"type": ["integer", "array"], "items": {"type": "integer"}},
    "from": {"type": "string", "format": "date"},
    "to": {"type": "string", "format": "date"},
}
DESK_SCHEMAS = {
    "BatchRequest": {
        "type": "object",
        "required": ["queries"],
        "properties": {
            "queries": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 1,
                "maxItems": 1000,
                "description": "Searched as the search box reads them.",
            },
            "filters": {
                "type": "object",
                "properties": FILTER_PROPERTIES,
                "additionalProperties": False,
                "description": "The same for every query (as /api/search's parameters).",
            },
            "name": {"type": "string"},
        },
    },
    "BatchCreated": {
        "type": "object",
        "required": ["id", "status"],
        "properties": {"id": {"type": "integer"}, "status": {"type": "string"}},
    },
    "BatchRow": {
        "type": "object",
        "required": ["query", "matches", "stories", "first", "last", "per_year", "message"],
        "properties": {
            "query": {"type": "string"},
            "label": {"type": "string"},
            "matches": {"type": ["integer", "null"], "description": "Every copy counted."},
            "stories": {"type": ["integer", "null"], "description": "Near-duplicates as one."},
            "first": {"type": ["string", "null"], "format": "date"},
            "last": {"type": ["string", "null"], "format": "date"},
            "per_year": {"type": "object", "additionalProperties": {"type": "integer"}},
            "change": {
                "type": ["integer", "null"],
                "description": "Matches minus the batch this one runs again.",
            },
            "message": {"type": ["string", "null"], "description": "A problem with the query."},
            "search_url": {"type": "string", "format": "uri"},
        },
    },
    "Batch": {
        "type": "object",
        "required": ["id", "status", "rows"],
        "properties": {
            "id": {"type": "integer"},
            "status": {"type": "string", "enum": ["running", "done"]},
            "answered": {"type": "integer"},
            "queries": {"type": "integer"},
            "rows": {"type": "array", "items": {"$ref": "#/components/schemas/BatchRow"}},
        },
    },
    "Comparison": {
        "type": "object",
        "required": ["interval", "measure", "series"],
        "properties": {
            "interval": {"type": "string", "enum": ["year", "month"]},
            "measure": {"type": "string", "enum": ["count", "share"]},
            "from": {"type": ["string", "null"], "format": "date"},
            "to": {"type": ["string", "null"], "format": "date"},
            "series": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["query", "points"],
                    "properties": {
                        "query": {"type": "string"},
                        "points": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["period", "count", "share"],
                                "properties": {
                                    "period": {"type": "string", "description": "2024, 2024-03"},
                                    "count": {"type": "integer"},
                                    "share": {
                                        "type": ["number", "null"],
                                        "description": "count / all articles of the period "
                                        "with the filters (null: none at all).",
                                    },
                                },
                            },
                        },
                    },
                },
            },
            "totals": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["period", "count"],
                    "properties": {"period": {"type": "string"}, "count": {"type": "integer"}},
                },
            },
        },
    },
}
BATCH_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
SIGNED_IN = "Not signed in, and no valid API token"
DESK_PATHS = {
    "/api/batch": {
        "post": {
            "operationId": "batchCreate",
            "summary": "Start a batch search: up to 1,000 queries with the same filters",
            "description": "Runs in the background; poll GET /api/batch/{id}. Batches are kept "
            "for their user: send an API token (or a session with its CSRF token).",
            "security": [{"apiToken": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/BatchRequest"}}
                },
            },
            "responses": {
                "201": json_response("The batch, queued", "BatchCreated"),
                "400": json_response("No queries, too many, or a filter not valid", "Error"),
                "401": json_response(SIGNED_IN, "Error"),
            },
        }
    },
    "/api/batch/{id}": {
        "get": {
            "operationId": "batch",
            "summary": "A batch's table so far: one row a query answered",
            "security": [{"apiToken": []}],
            "parameters": [BATCH_ID],
            "responses": {
                "200": json_response("The batch", "Batch"),
                "401": json_response(SIGNED_IN, "Error"),
                "404": json_response("You have no batch with this id", "Error"),
            },
        }
    },
    "/api/compare": {
        "get": {
            "operationId": "compare",
            "summary": "2-5 queries counted by year or month (the timeline's counts), "
            "with each period's share of all articles",
            "parameters": [
                {
                    **parameter("q", {"type": "string"}, "A query; 2 to 5 of them.", repeat=True),
                    "required": True,
                    "schema": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "\\S"},
                        "minItems": 2,
                        "maxItems": 5,
                    },
                },
                parameter(
                    "interval",
                    {"type": "string", "enum": ["year", "month"]},
                    "Default year. By month: the filters' span when it is two years or less "
                    "(one year, or from/to), else their last two years (from/to in the answer).",
                ),
                parameter(
                    "measure",
                    {"type": "string", "enum": ["count", "share"]},
                    "What the page charts; the API answers both.",
                ),
                parameter("minister", {"type": "string"}, "Minister slug.", repeat=True),
                parameter("topic", {"type": "string"}, "Topic slug.", repeat=True),
                parameter(
                    "year", {"type": "integer", "minimum": 1, "maximum": 9999}, "Year.", repeat=True
                ),
                parameter("from", DATE_OR_EMPTY, "Published on or after (YYYY-MM-DD)."),
                parameter("to", DATE_OR_EMPTY, "Published on or before (YYYY-MM-DD)."),
            ],
            "responses": {
                "200": json_response("One series a query", "Comparison"),
                "400": json_response("An invalid parameter (named in the error)", "Error"),
                "401": json_response(UNAUTHORIZED, "Error"),
            },
        }
    },
}


def document(*, server_url: str = "/") -> dict:
    described = {
        "openapi": "3.1.0",
        "info": {
            "title": "Newsroom search API",
            "version": "1.0.0",
            "description": "Full-text search over the news archive. Hidden articles never appear.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search articles, with facet counts and highlighted snippets",
                    "parameters": [
                        parameter(
                            "q",
                            {"type": "string"},
                            'Words, "phrases", OR, NOT/-, ( ), '
                            "title:/body:, trailing *. Empty: browse everything.",
                        ),
                        parameter(
                            "minister",
                            {"type": "string"},
                            "Minister slug; several = all of them.",
                            repeat=True,
                        ),
                        parameter(
                            "topic",
                            {"type": "string"},
                            "Topic slug; several = all of them.",
                            repeat=True,
                        ),
                        parameter(
                            "year",
                            {"type": "integer", "minimum": 1, "maximum": 9999},
                            "Year; several = any of them.",
                            repeat=True,
                        ),
                        *TRIAGE_SEARCH_PARAMETERS,
                        parameter(
                            "from",
                            DATE_OR_EMPTY,
                            "Published on or after (YYYY-MM-DD; empty: no bound).",
                        ),
                        parameter(
                            "to",
                            DATE_OR_EMPTY,
                            "Published on or before (YYYY-MM-DD; empty: no bound).",
                        ),
                        parameter(
                            "sort",
                            {"type": "string", "enum": list(SORTS)},
                            "Default: relevance with words, newest without.",
                        ),
                        parameter(
                            "copies",
                            {"type": "string", "enum": ["all"]},
                            "all: every copy of a story; default: one hit a story.",
                        ),
                        parameter(
                            "page", {"type": "integer", "minimum": 1}, "Page number (from 1)."
                        ),
                        parameter(
                            "per_page",
                            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                            "Hits per page (default 10).",
                        ),
                        parameter(
                            "distinctive",
                            {"type": "string", "enum": ["1"]},
                            "1: add what is distinctive about the matches (slower: it reads "
                            "the best 200).",
                        ),
                    ],
                    "responses": {
                        "200": json_response("Search results", "SearchResponse"),
                        "400": json_response("An invalid parameter (named in the error)", "Error"),
                        "401": json_response(UNAUTHORIZED, "Error"),
                        "404": json_response("A page past the last page of results", "Error"),
                    },
                }
            },
            "/api/alerts": ALERTS_PATH,
            **TRIAGE_PATHS,
            **DESK_PATHS,
            "/api/articles/{id}": {
                "get": {
                    "operationId": "article",
                    "summary": "One article, with similar articles",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": json_response("The article", "Article"),
                        "404": json_response("No such (public) article", "Error"),
                        "401": json_response(UNAUTHORIZED, "Error"),
                    },
                }
            },
        },
        "components": {
            "schemas": {**SCHEMAS, **ALERT_SCHEMAS, **DESK_SCHEMAS, **TRIAGE_SCHEMAS},
            "securitySchemes": SECURITY_SCHEMES,
        },
        # Anonymous on a public archive; a private one (NEWSROOM_PRIVATE) needs a token.
        "security": [{}, {"apiToken": []}],
    }
    described["paths"] = with_every_error(described["paths"])
    return described


SECURITY_SCHEMES = {
    "apiToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token made on your account page (/accounts/), sent as "
        "`Authorization: Bearer <token>`. Needed when the archive is private; a wrong or "
        "revoked token answers 401.",
    }
}
