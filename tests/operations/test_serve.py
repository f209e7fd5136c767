"""`python3 dev.py serve` for real: gunicorn on a free 127.0.0.1 port, over real sockets."""

from __future__ import annotations

import json
import re
import socket
import sqlite3

import pytest

pytest_plugins = ["tests.servers"]

HALF_OPEN_CLIENTS = 4


def test_half_open_clients_do_not_stall_a_normal_request(shared_server):
    server = shared_server
    half_open = []
    try:
        for _ in range(HALF_OPEN_CLIENTS):
            client = socket.create_connection(("127.0.0.1", server.port), timeout=20)
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and then nothing
            half_open.append(client)
        # Every normal request is answered while the four wait (a sync worker per client would
        # hold each worker until the clients time out).
        for path in ["/?q=cyber", "/healthz", "/saved/", "/api/search?q=cyber"]:
            status, _, _ = server.get(path)
            assert status == 200, path
        # ...and the half-open clients were held, not dropped: they get their answer too.
        for client in half_open:
            client.sendall(b"\r\n")
            assert client.recv(200).startswith(b"HTTP/1.1 200")
    finally:
        for client in half_open:
            client.close()


def test_one_access_line_per_request_with_its_duration(shared_server):
    server = shared_server
    server.get("/?q=cyber")
    server.get("/no-such-page/access-line/")
    assert server.stdout_lines_with('"GET /?q=cyber HTTP/1.1" 200')
    not_found = server.stdout_lines_with('"GET /no-such-page/access-line/ HTTP/1.1" 404')
    assert len(not_found) == 1
    assert re.search(r" \d+ms$", not_found[0])


@pytest.mark.parametrize(
    "path", ["/?q=cyber", "/saved/", "/api/search?q=cyber", "/api/openapi.json", "/healthz"]
)
def test_head_is_answered_like_get_without_a_body(shared_server, path):
    status, headers, body = shared_server.request("HEAD", path)
    _, get_headers, _ = shared_server.get(path)
    assert status == 200 and body == b""
    assert headers["Content-Type"] == get_headers["Content-Type"]


def test_debug_is_off_and_static_files_are_compressed_with_hashed_names(shared_server):
    server = shared_server
    status, _, body = server.get("/no-such-page/")
    assert status == 404 and b"Traceback" not in body and b"URLconf" not in body
    _, _, page = server.get("/")
    stylesheet = re.search(rb'href="(/static/search/newsroom\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page links the stylesheet under its hashed name"
    status, headers, _ = server.get(stylesheet.group(1).decode(), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]


def test_an_unhandled_error_is_logged_with_its_traceback(serve, data_dir_copy):
    server = serve(data_dir_copy)
    with sqlite3.connect(data_dir_copy / "newsroom.sqlite3") as database:
        database.execute("ALTER TABLE search_savedsearch RENAME TO moved_away")
    status, _, body = server.get("/saved/")
    assert status == 500
    assert b"Something went wrong" in body and b"moved_away" not in body
    server.stop()
    errors = server.stderr()
    assert "Internal Server Error: /saved/" in errors
    assert "Traceback (most recent call last)" in errors
    assert "no such table: search_savedsearch" in errors


def test_health_names_the_part_that_does_not_answer(serve, data_dir_copy):
    server = serve(data_dir_copy)
    status, headers, body = server.get("/healthz")
    assert (status, json.loads(body)) == (
        200,
        {"status": "ok", "database": "ok", "index": "ok"},
    )
    assert "no-store" in headers["Cache-Control"]
    with sqlite3.connect(data_dir_copy / "newsroom.sqlite3") as database:
        database.execute("ALTER TABLE search_article RENAME TO moved_away")
    status, _, body = server.get("/healthz")
    report = json.loads(body)
    assert status == 503 and report["status"] == "unavailable"
    assert (
        report["database"] == "The database does not answer (OperationalError); see the server log."
    )
    with sqlite3.connect(data_dir_copy / "newsroom.sqlite3") as database:
        database.execute("ALTER TABLE moved_away RENAME TO search_article")
    (data_dir_copy / "index" / "CURRENT").unlink()
    status, _, body = server.get("/healthz")
    report = json.loads(body)
    assert (status, report["database"]) == (503, "ok")
    assert "index is missing" in report["index"] and "check_index --repair" in report["index"]
    server.stop()
    assert "no such table: search_article" in server.stderr()  # the details, for the operator


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DEBUG": "1"}, "newsroom.E001"),
        ({"SECRET_KEY": "change-me"}, "newsroom.E002"),
        ({"ALLOWED_HOSTS": "*"}, "newsroom.E003"),
    ],
)
def test_serve_refuses_to_start_on_settings_wrong_for_production(
    run_serve_command, tmp_path, environment, message
):
    completed = run_serve_command(tmp_path / "data", **environment)
    assert completed.returncode != 0
    assert message in completed.stderr
    assert "Serving on" not in completed.stdout
