"""The error answers every operation of the API can give, whichever view it is: Django, the
middleware and the views all answer them as ``{"error": message}`` under /api/
(``search.operations.json_errors``), so each is declared with the ``Error`` schema.

An operation's own description of a status (a 400 naming its parameter, a 503 of the search
index) is kept; these fill in the rest."""

from __future__ import annotations

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
WRITE_METHODS = ("put", "post", "delete", "patch")


def error_answer(description: str, headers: dict | None = None) -> dict:
    answer = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if headers:
        answer["headers"] = headers
    return answer


def header(description: str) -> dict:
    return {"description": description, "schema": {"type": "string"}}


ON_EVERY_OPERATION = {
    "400": error_answer("The request could not be read (a host name not allowed, for one)"),
    "401": error_answer("A private archive (NEWSROOM_PRIVATE), and no valid API token"),
    "405": error_answer(
        "A method this path does not answer",
        {"Allow": header("The methods this path answers, such as GET, HEAD")},
    ),
    "500": error_answer("A fault of ours, logged; please try again"),
    "503": error_answer(
        "The database or the search index cannot answer now (busy, read-only, being restored)",
        {"Retry-After": header("Seconds to wait before trying again")},
    ),
}
ON_EVERY_WRITE = {
    "403": error_answer("Sent with a session cookie but without its CSRF token"),
}


def with_every_error(paths: dict) -> dict:
    """``paths`` with each operation's responses completed by the errors it can give (a new
    dict: the module's own path constants are left as they are)."""
    return {
        path: {
            key: with_errors(operation, method=key) if key in HTTP_METHODS else operation
            for key, operation in item.items()
        }
        for path, item in paths.items()
    }


def with_errors(operation: dict, *, method: str) -> dict:
    errors = {**ON_EVERY_OPERATION, **(ON_EVERY_WRITE if method in WRITE_METHODS else {})}
    responses = {**errors, **operation["responses"]}
    return {**operation, "responses": dict(sorted(responses.items()))}
