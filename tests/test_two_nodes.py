"""Two app servers, one archive: two server processes on different ports against one
PostgreSQL (the test's), with the PostgreSQL engine, and imports run as separate processes.
What one node (or an import anywhere) commits, the other finds at once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from django.db import connections

from search.models import Article
from tests.postgres import use_postgres
from tests.tooling import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def total(node: str, q: str) -> int:
    return get_json(f"{node}/api/search?q={q}&per_page=100")["total"]


@pytest.fixture
def node_environment(request, settings, tmp_path) -> dict:
    use_postgres(request)
    settings.SEARCH_ENGINE = "postgres"
    database = connections["default"].settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"postgres://postgres@/{database['NAME']}?host={database['HOST']}",
        "SEARCH_ENGINE": "postgres",
        "NEWSROOM_DATA_DIR": str(tmp_path / "node-data"),  # nothing a search needs is here
    }


@pytest.fixture
def nodes(node_environment):
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=node_environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url in urls:
            wait_for(url)
        yield urls
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            get_json(f"{url}/api/search")
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def import_file(environment: dict, path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_articles", str(path)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def write_jsonl(path, prefix: str, count: int) -> None:
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
    path.write_text("\n".join(lines) + "\n")


def test_a_change_committed_anywhere_is_seen_by_both_nodes(nodes, node_environment, tmp_path):
    node_a, node_b = nodes
    write_jsonl(tmp_path / "one.jsonl", "alpine", 1)
    importer = import_file(node_environment, tmp_path / "one.jsonl")
    assert importer.wait(60) == 0, importer.stderr.read()
    assert total(node_a, "alpine") == total(node_b, "alpine") == 1

    article = Article.objects.get(title="alpine report 0")
    article.status = Article.Status.HIDDEN
    article.save()  # committed here: a third node, as far as the servers know
    assert total(node_a, "alpine") == total(node_b, "alpine") == 0

    article.status = Article.Status.PUBLISHED
    article.title = "alpine marmot report"
    article.save()
    assert total(node_b, "marmot") == 1


def test_imports_on_two_nodes_at_once_lose_nothing(nodes, node_environment, tmp_path):
    node_a, node_b = nodes
    write_jsonl(tmp_path / "east.jsonl", "east", 40)
    write_jsonl(tmp_path / "west.jsonl", "west", 40)
    importers = [
        import_file(node_environment, tmp_path / "east.jsonl"),
        import_file(node_environment, tmp_path / "west.jsonl"),
    ]
    for importer in importers:
        assert importer.wait(120) == 0, importer.stderr.read()
    assert Article.objects.count() == 80
    assert total(node_a, "wombat") == total(node_b, "wombat") == 80
    assert total(node_b, "east") == total(node_a, "west") == 40
