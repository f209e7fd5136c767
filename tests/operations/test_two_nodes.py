"""Two app nodes, one archive: `python3 dev.py serve` (gunicorn) twice, on different ports,
each with its own empty data directory, against one PostgreSQL (the test's), with the
PostgreSQL engine. What an editor commits through node A (an upload, an edit, a hide), node B
finds at once; uploads through both nodes and an import process at the same time lose nothing;
and no node keeps anything a search needs on its own disk."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from django.contrib.auth.models import User
from django.db import connections

from search.models import Article, PendingIndexChange
from tests.postgres import use_postgres
from tests.tooling import ROOT

if TYPE_CHECKING:
    from tests.servers import Server

pytest_plugins = ["tests.servers"]

PASSWORD = "two-nodes-editor-password"


class Browser:
    """An editor's session on one node over real HTTP: cookies, the CSRF token, forms."""

    def __init__(self, server: Server):
        self.base = f"http://127.0.0.1:{server.port}"
        self.cookies = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.cookies))

    def open(self, path: str, data: bytes | None = None, content_type: str = "") -> tuple:
        headers = {"Content-Type": content_type} if content_type else {}
        request = Request(self.base + path, data=data, headers=headers)
        with self.opener.open(request, timeout=60) as response:  # follows the redirect
            return response.url.removeprefix(self.base), response.read().decode()

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def post(self, path: str, fields: list[tuple[str, str]], files=()) -> tuple:
        """A multipart form post (``files``: (field, file name, bytes)), as a browser sends."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in [("csrfmiddlewaretoken", self.csrf_token()), *fields]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, filename, content in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.open(path, body, f"multipart/form-data; boundary={boundary}")

    def log_in(self, username: str, password: str) -> None:
        self.open("/admin/login/")
        landed, _ = self.post(
            "/admin/login/?next=/admin/",
            [("username", username), ("password", password), ("next", "/admin/")],
        )
        assert landed == "/admin/", "the editor could not log in"

    def total(self, q: str) -> int:
        _, body = self.open("/api/search?" + urlencode({"q": q, "per_page": 100}))
        return json.loads(body)["total"]


def jsonl(prefix: str, count: int) -> bytes:
    lines = [
        json.dumps(
            {
                "title": f"{prefix} report {number}",
                "body": f"The {prefix} wombat survey, part {number}, counted burrows.",
                "url": f"https://example.org/{prefix}/{number}",
                "published": "2024-02-01",
            }
        )
        for number in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def url_of(settings_dict: dict) -> str:
    return f"postgres://postgres@/{settings_dict['NAME']}?host={settings_dict['HOST']}"


@pytest.fixture
def database_url(request, settings) -> str:
    """This test's Django (the test's own queries) on the PostgreSQL database the nodes use."""
    use_postgres(request)
    settings.SEARCH_ENGINE = "postgres"
    return url_of(connections["default"].settings_dict)


@pytest.fixture(scope="module")
def nodes(postgres_server, tmp_path_factory) -> Iterator[list[tuple[Server, Path]]]:
    """Two production servers (each started as `dev.py serve`: checks, migrate, collectstatic,
    gunicorn) on one database, each with a data directory of its own; started once for the
    module (each test empties the database afterwards and signs in again)."""
    from tests.servers import start_server  # a plugin here: pytest imports it first

    started = []
    try:
        for name in ("node-a", "node-b"):
            data_dir = tmp_path_factory.mktemp(name)
            logs_dir = tmp_path_factory.mktemp(f"{name}-logs")
            server = start_server(
                data_dir,
                logs_dir,
                DATABASE_URL=url_of(postgres_server.settings_dict),
                SEARCH_ENGINE="postgres",
            )
            started.append((server, data_dir))
        yield started
    finally:
        for server, _ in started:
            server.stop()


@pytest.fixture
def editor(db) -> str:
    User.objects.create_superuser("editor", email=None, password=PASSWORD)
    return "editor"


def upload(browser: Browser, filename: str, content: bytes) -> str:
    landed, page = browser.post(
        "/admin/search/article/upload/", [], files=[("files", filename, content)]
    )
    assert "Upload finished" in page, page[:2000]
    return landed


def nothing_for_search_on_disk(data_dir: Path) -> None:
    """A node's data directory holds no index and no database: only its collected static
    files, and the copies of files uploaded through it (a record: their text is in the
    database, nothing reads them back)."""
    assert not (data_dir / "index").exists()
    assert not list(data_dir.rglob("*.sqlite3*"))
    assert {path.name for path in data_dir.iterdir()} <= {"static", "uploads"}


def test_what_an_editor_commits_on_node_a_is_searched_on_node_b(database_url, nodes, editor):
    (server_a, data_a), (server_b, data_b) = nodes
    node_a, node_b = Browser(server_a), Browser(server_b)
    node_a.log_in(editor, PASSWORD)

    upload(node_a, "alpine.jsonl", jsonl("alpine", 2))
    assert node_b.total("alpine") == 2  # the upload's response came after its commit

    article = Article.objects.get(title="alpine report 0")
    landed, _ = node_a.post(
        f"/admin/search/article/{article.pk}/change/",
        [
            ("title", "alpine marmot report"),
            ("body", article.body),
            ("published", article.published.isoformat()),
            ("status", article.status),
            ("_save", "Save"),
        ],
    )
    assert landed == "/admin/search/article/", "the edit was not saved"
    assert node_b.total("marmot") == 1

    node_a.post(
        "/admin/search/article/",
        [("action", "hide"), ("_selected_action", str(article.pk)), ("index", "0")],
    )
    assert node_b.total("marmot") == 0 and node_b.total("alpine") == 1

    assert PendingIndexChange.objects.count() == 0  # no queue: the triggers indexed it all
    for data_dir in (data_a, data_b):
        nothing_for_search_on_disk(data_dir)


def test_uploads_on_both_nodes_and_an_import_at_once_lose_nothing(
    database_url, nodes, editor, tmp_path
):
    from tests.servers import server_environment  # a plugin here: pytest imports it first

    (server_a, _), (server_b, _) = nodes
    browsers = [Browser(server_a), Browser(server_b)]
    for browser in browsers:
        browser.log_in(editor, PASSWORD)
    (tmp_path / "south.jsonl").write_bytes(jsonl("south", 40))
    importer = subprocess.Popen(
        [sys.executable, "manage.py", "import_articles", str(tmp_path / "south.jsonl")],
        cwd=ROOT,
        env=server_environment(
            tmp_path / "importer", DATABASE_URL=database_url, SEARCH_ENGINE="postgres"
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    with ThreadPoolExecutor(2) as pool:
        uploads = [
            pool.submit(upload, browser, f"{prefix}.jsonl", jsonl(prefix, 40))
            for browser, prefix in zip(browsers, ["east", "west"], strict=True)
        ]
        for done in uploads:
            done.result()
    assert importer.wait(120) == 0, importer.stderr.read()

    assert Article.objects.count() == 120
    for browser in browsers:
        assert browser.total("wombat") == 120
        assert [browser.total(prefix) for prefix in ("east", "west", "south")] == [40, 40, 40]
