"""The OpenAPI description of the triage endpoints (search.web.api_triage): an article's star,
labels and notes. ``openapi.document`` merges these paths and schemas into its own."""

from __future__ import annotations


def ref(schema: str) -> dict:
    return {"$ref": f"#/components/schemas/{schema}"}


def answer(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def request_body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


ARTICLE_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
LABEL_NAME = {
    "name": "label",
    "in": "path",
    "required": True,
    "description": "The label's slug (or its name).",
    "schema": {"type": "string"},
}
WRITE_REFUSALS = {
    "401": answer("No valid API token", "Error"),
    "403": answer("Signed in by a session cookie, not a token", "Error"),
    "404": answer("No such (public) article", "Error"),
}
READ_REFUSALS = {
    "401": answer(
        "Not signed in and no valid API token (or labels and notes are not public)", "Error"
    ),
    "404": answer("No such (public) article", "Error"),
}
TOKEN = [{"apiToken": []}]


def flag(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "enum": ["", "0", "1"]},
    }


# /api/search's triage filters (its other parameters are in openapi.py).
TRIAGE_SEARCH_PARAMETERS = [
    {
        "name": "label",
        "in": "query",
        "required": False,
        "description": "Label slug; several = all of them.",
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
    },
    flag("starred", "1: only the articles you starred."),
    flag("notes", "1: only articles with a note you can read (yours or shared)."),
]

TRIAGE_SCHEMAS = {
    "Label": {
        "type": "object",
        "required": ["name", "slug", "colour"],
        "properties": {
            "name": {"type": "string"},
            "slug": {"type": "string"},
            "colour": {"type": "string", "description": "#rrggbb, readable under white text"},
        },
    },
    "ArticleLabels": {
        "type": "object",
        "required": ["article", "labels"],
        "properties": {
            "article": {"type": "integer"},
            "labels": {"type": "array", "items": ref("Label")},
        },
    },
    "LabelRequest": {
        "type": "object",
        "required": ["label"],
        "properties": {
            "label": {
                "type": "string",
                "maxLength": 60,
                "description": "A label's name, in any case; a new name makes a new label.",
            },
            "colour": {
                "type": "string",
                "enum": ["blue", "green", "red", "purple", "orange", "teal", "grey"],
                "description": "A new label's colour (default: the next in the palette).",
            },
        },
    },
    "Star": {
        "type": "object",
        "required": ["article", "starred"],
        "properties": {"article": {"type": "integer"}, "starred": {"type": "boolean"}},
    },
    "Note": {
        "type": "object",
        "required": ["id", "author", "text", "shared", "created", "updated"],
        "properties": {
            "id": {"type": "integer"},
            "author": {"type": "string"},
            "text": {"type": "string", "description": "Plain text."},
            "shared": {"type": "boolean", "description": "false: only its author sees it."},
            "created": {"type": "string", "format": "date-time"},
            "updated": {"type": "string", "format": "date-time"},
        },
    },
    "ArticleNotes": {
        "type": "object",
        "required": ["article", "notes"],
        "properties": {
            "article": {"type": "integer"},
            "notes": {"type": "array", "items": ref("Note")},
        },
    },
    "NoteRequest": {
        "type": "object",
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "minLength": 1, "maxLength": 10000},
            "shared": {"type": "boolean", "default": False},
        },
    },
}

TRIAGE_PATHS = {
    "/api/articles/{id}/star": {
        "parameters": [ARTICLE_ID],
        "post": {
            "operationId": "starAdd",
            "summary": "Star an article (stars are private to you); API token only",
            "security": TOKEN,
            "responses": {"200": answer("Starred", "Star"), **WRITE_REFUSALS},
        },
        "delete": {
            "operationId": "starRemove",
            "summary": "Unstar an article; API token only",
            "security": TOKEN,
            "responses": {"200": answer("Not starred", "Star"), **WRITE_REFUSALS},
        },
    },
    "/api/articles/{id}/labels": {
        "parameters": [ARTICLE_ID],
        "get": {
            "operationId": "labels",
            "summary": "An article's labels (shared by every reader)",
            "responses": {"200": answer("Its labels", "ArticleLabels"), **READ_REFUSALS},
        },
        "post": {
            "operationId": "labelAdd",
            "summary": "Label an article (a new name makes a new label); API token only",
            "security": TOKEN,
            "requestBody": request_body("LabelRequest"),
            "responses": {
                "200": answer("It had the label already", "ArticleLabels"),
                "201": answer("Labelled", "ArticleLabels"),
                "400": answer("No name, or too long", "Error"),
                **WRITE_REFUSALS,
            },
        },
    },
    "/api/articles/{id}/labels/{label}": {
        "parameters": [ARTICLE_ID, LABEL_NAME],
        "delete": {
            "operationId": "labelRemove",
            "summary": "Take a label off an article; API token only",
            "security": TOKEN,
            "responses": {"200": answer("Its labels now", "ArticleLabels"), **WRITE_REFUSALS},
        },
    },
    "/api/articles/{id}/notes": {
        "parameters": [ARTICLE_ID],
        "get": {
            "operationId": "notes",
            "summary": "The notes on an article you may read: yours and the shared ones",
            "responses": {
                "200": answer("Its notes, oldest first", "ArticleNotes"),
                **READ_REFUSALS,
            },
        },
        "post": {
            "operationId": "noteAdd",
            "summary": "Write a note (private unless shared); API token only",
            "description": "Limited per user an hour (NEWSROOM_NOTES_PER_USER_PER_HOUR).",
            "security": TOKEN,
            "requestBody": request_body("NoteRequest"),
            "responses": {
                "201": answer("The note", "Note"),
                "400": answer("No text, or too long", "Error"),
                "429": answer("Too many notes this hour (see Retry-After)", "Error"),
                **WRITE_REFUSALS,
            },
        },
    },
}
