"""Schemathesis against /api/openapi.json: requests generated from the description itself
(valid and invalid), each answer checked against it, never a server error. Bounded examples,
derandomized, on the seeded archive, through the real WSGI application."""

from __future__ import annotations

import datetime
from contextlib import contextmanager

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

EXAMPLES_PER_OPERATION = 150


@contextmanager
def connection_kept_between_requests():
    """The test's database lives in its open connection, which the WSGI handler closes after
    each request; Django's own test client keeps it open the same way."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in signals:
            signal.connect(close_old_connections)


def test_every_api_answer_matches_the_description(seeded):
    with connection_kept_between_requests():
        check_every_operation()


def check_every_operation() -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} >= {"/api/search"}
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case):
            # No 5xx; status codes, content types, headers and bodies as described.
            if not reversed_dates(case):
                case.call_and_validate()
                return
            # A rule OpenAPI cannot state: "to" must not be before "from" (a clear 400).
            response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
            assert response.status_code == 400, response.text

        call()


def reversed_dates(case) -> bool:
    query = case.query or {}
    try:
        start = datetime.date.fromisoformat(str(query.get("from")))
        end = datetime.date.fromisoformat(str(query.get("to")))
    except ValueError:
        return False
    return end < start
