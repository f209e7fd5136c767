"""A missing page while the SQLite file is gone (moved away for real, and the app may not make
a new one, as when served): an anonymous visitor's 404 page needs nothing from the database
and stays a 404. A signed-in visitor's request reads their account in a middleware before any
view (a private archive must know who asks; the session's idle time is kept), so theirs is a
503, as every page of theirs is; so is a page whose existence is in the database."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client


@contextmanager
def database_file_gone():
    connection.close()
    database = Path(connection.settings_dict["NAME"])
    companions = [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm")]
    moved = [
        (path, path.with_name(path.name + ".away"))
        for path in (database, *companions)
        if path.exists()
    ]
    for path, away in moved:
        path.rename(away)
    try:
        yield
    finally:
        connection.close()
        for path, away in moved:
            away.rename(path)


@pytest.mark.django_db(transaction=True)
def test_a_missing_page_without_the_database(settings):
    settings.SQLITE_CREATE = False  # as `dev.py serve` runs: a deleted file is not made again
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(User.objects.create_user("rita", "rita@example.org"))
    anonymous = Client(raise_request_exception=False)

    with database_file_gone():
        page = anonymous.get("/no-such-page/")
        assert page.status_code == 404
        text = page.content.decode()
        assert "There is nothing at this address" in text and "Sign in" in text
        api = anonymous.get("/api/no-such-thing")
        assert api.status_code == 404 and "openapi.json" in api.json()["error"]
        missing_article = anonymous.get("/articles/999999/")
        assert missing_article.status_code == 503, "whether it exists is in the database"
        page = signed_in.get("/no-such-page/")
        assert page.status_code == 503 and "cannot be opened" in page.content.decode()

    page = signed_in.get("/no-such-page/")
    assert page.status_code == 404 and "Sign out" in page.content.decode()
