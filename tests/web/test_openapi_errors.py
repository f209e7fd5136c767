"""Every path of the OpenAPI description declares the error answers the app really gives, and
gives them as declared: each path is walked with a method it does not answer (405), and each
operation with a database that cannot answer (503) and with a bug of ours under it (500)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.test import Client

from search.web.openapi_errors import HTTP_METHODS
from tests.web.test_api import check_against_openapi

# A value for each path parameter: the article and batch ids, a label's address.
PATH_VALUES = {"id": "1", "label": "walrus"}


def served_document() -> dict:
    return Client().get("/api/openapi.json").json()


def address(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: PATH_VALUES[match.group(1)], path)


def operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def declared_error(operation: dict, status: int) -> dict:
    answer = operation["responses"].get(str(status))
    assert answer is not None, f"{operation['operationId']} does not declare {status}"
    schema = answer["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Error"}, operation["operationId"]
    return answer


@pytest.mark.django_db
def test_every_operation_declares_its_errors_in_the_json_error_shape():
    walked = operations(served_document())
    assert len(walked) >= 14
    for _path, method, operation in walked:
        for status in (400, 401, 405, 500, 503) + ((403,) if method != "get" else ()):
            declared_error(operation, status)
        for status in operation["responses"]:
            if int(status) >= 400:
                declared_error(operation, int(status))


def test_a_method_a_path_does_not_answer_is_its_declared_405(client, seeded):
    document = served_document()
    for path, item in document["paths"].items():
        methods = {key.upper() for key in item if key in HTTP_METHODS}
        assert "PUT" not in methods
        response = client.put(address(path))
        assert response.status_code == 405, path
        check_against_openapi(response.json(), "Error")
        assert methods <= set(response["Allow"].split(", ")), path
        for key in item:
            if key in HTTP_METHODS:
                assert "Allow" in declared_error(item[key], 405)["headers"]


@pytest.mark.parametrize(
    ("fault", "status", "words"),
    [
        (OperationalError("database is locked"), 503, "busy with another change"),
        (RuntimeError("a bug of ours"), 500, "Something went wrong on our side"),
    ],
)
def test_every_operation_answers_a_failing_database_as_declared(seeded, fault, status, words):
    """Signed in, so every request reads the database (its session) before anything else."""
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("rita", "rita@example.org"))

    def failing(execute, sql, params, many, context):
        raise fault

    for path, method, operation in operations(served_document()):
        with connection.execute_wrapper(failing):
            response = client.generic(
                method.upper(), address(path), "{}", content_type="application/json"
            )
        assert response.status_code == status, f"{method.upper()} {path}"
        declared_error(operation, status)
        check_against_openapi(response.json(), "Error")
        assert words in response.json()["error"] and "bug of ours" not in response.json()["error"]
        if status == 503:
            assert (
                response["Retry-After"]
                and "Retry-After" in declared_error(operation, 503)["headers"]
            )
