"""Probes of `dev.py serve` on 127.0.0.1: half-open clients, concurrent readers, saved searches.

    python bench/serve_probe.py [--articles 2000] [--rounds 15]

Makes a data directory under bench/out/serve/ (the seeds, plus a generated corpus of
--articles), then starts the production command twice, with its gthread workers and with
gunicorn's sync workers for comparison, and measures with bounded loops, loopback only:

- a search's latency, quiet and while 4 clients hold half-sent requests open;
- 8 concurrent readers (search pages, htmx partials, articles, API): requests/s and errors;
- 200 saved-search POSTs from one client: how many are accepted;
- /saved/ with 10 saved searches whose counts are not kept yet.

Prints a JSON summary (medians in milliseconds); the figures are quoted in docs/serving.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
OUT = ROOT / "bench" / "out" / "serve"
SECRET_KEY = "bench-" + "x9Qz4Lr7Wm2Tk8Vp" * 4
QUERIES = ["cyber", "space security", "minister", "trade OR economy", "defence", "china"]
HALF_OPEN = 4
REQUEST_TIMEOUT = 15.0


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}},
        "NEWSROOM_DATA_DIR": str(data_dir),
        "SECRET_KEY": SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def manage(data_dir: Path, *args: str) -> None:
    subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=environment(data_dir), check=True
    )


def forget_saved_searches(data_dir: Path) -> None:
    import sqlite3

    with sqlite3.connect(data_dir / "newsroom.sqlite3") as database:
        database.execute("DELETE FROM search_savedsearch")


def prepare(data_dir: Path, articles: int) -> None:
    if (data_dir / "newsroom.sqlite3").exists():
        forget_saved_searches(data_dir)  # an earlier probe's, so every run starts alike
        manage(data_dir, "check_index", "--repair")  # an index of an older schema is rebuilt
        return
    manage(data_dir, "migrate", "--noinput", "--verbosity", "0")
    manage(data_dir, "load_seeds", "--verbosity", "0")
    if articles:
        corpus = data_dir.parent / f"corpus-{articles}"
        subprocess.run(
            [str(PYTHON), "bench/corpus.py", str(articles), str(corpus)], cwd=ROOT, check=True
        )
        manage(data_dir, "import_articles", str(corpus))
    manage(data_dir, "rebuild_index", "--verbosity", "0")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, data_dir: Path, gunicorn_args: list[str], **extra: str) -> None:
        self.port = free_port()
        env = environment(data_dir, NEWSROOM_BIND=f"127.0.0.1:{self.port}", **extra)
        self.log = (data_dir.parent / "server.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "dev.py", "serve", *gunicorn_args],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("the server did not start; see bench/out/serve/server.log")

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def get(self, path: str, **headers: str):
        return self.request("GET", path, headers=headers)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def timed(server: Server, path: str) -> float | None:
    """Milliseconds, or None when the request timed out."""
    start = time.perf_counter()
    try:
        server.get(path)
    except TimeoutError:
        return None
    return (time.perf_counter() - start) * 1000


def latencies(server: Server, rounds: int) -> dict:
    samples = [
        timed(server, f"/?{urlencode({'q': QUERIES[i % len(QUERIES)]})}") for i in range(rounds)
    ]
    answered = [sample for sample in samples if sample is not None]
    return {
        "median_ms": round(statistics.median(answered), 1) if answered else None,
        "max_ms": round(max(answered), 1) if answered else None,
        "timed_out": len(samples) - len(answered),
    }


def with_half_open_clients(server: Server, rounds: int) -> dict:
    """(With sync workers each request may wait out the clients: keep ``rounds`` small.)"""
    clients = []
    try:
        for _ in range(HALF_OPEN):
            client = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            clients.append(client)
        time.sleep(0.5)
        return latencies(server, rounds)
    finally:
        for client in clients:
            client.close()


def concurrent_readers(server: Server, *, readers: int = 8, each: int = 25) -> dict:
    _, _, page = server.get("/?q=cyber")
    articles = sorted(set(re.findall(rb'href="(/articles/\d+/)', page)))[:5] or [b"/articles/1/"]
    paths = [f"/?{urlencode({'q': q})}" for q in QUERIES]
    paths += ["/api/search?q=cyber", "/?q=space&sort=newest&page=2", "/saved/"]
    paths += [path.decode() for path in articles]
    statuses: list[int] = []
    lock = threading.Lock()

    def reader(number: int) -> None:
        for i in range(each):
            path = paths[(number + i) % len(paths)]
            headers = {"HX-Request": "true"} if i % 3 == 0 and path.startswith("/?") else {}
            try:
                status, _, _ = server.get(path, **headers)
            except OSError:
                status = 0
            with lock:
                statuses.append(status)

    start = time.perf_counter()
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    return {
        "requests": len(statuses),
        "per_second": round(len(statuses) / seconds, 1),
        "server_errors": sum(1 for status in statuses if status >= 500 or status == 0),
    }


def save_search(
    server: Server, number: int, csrf: tuple[str, str], *, name: str = "Load", q: str = "q=cyber"
) -> str | None:
    """Post the save form as a browser would; the new saved search's path, or None."""
    cookie, token = csrf
    form = {"csrfmiddlewaretoken": token, "name": f"{name} {number}", "query_string": q}
    status, reply, _ = server.request(
        "POST",
        "/saved/new/",
        body=urlencode(form).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
        },
    )
    return reply["Location"].replace("http://testserver", "") if status == 302 else None


def form_token(server: Server) -> tuple[str, str]:
    _, headers, body = server.get("/saved/new/?q=cyber")
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookie, token


def saved_search_posts(server: Server, count: int = 200) -> dict:
    token = form_token(server)
    statuses = []
    start = time.perf_counter()
    for number in range(count):
        statuses.append(302 if save_search(server, number, token, name="Spam", q="q=x") else 0)
    return {
        "posts": count,
        "accepted": statuses.count(302),
        "refused (429 when over the limit)": count - statuses.count(302),
        "seconds": round(time.perf_counter() - start, 2),
    }


def saved_list(server: Server, data_dir: Path, rounds: int) -> dict:
    import sqlite3

    forget_saved_searches(data_dir)
    with sqlite3.connect(data_dir / "newsroom.sqlite3") as database:
        for number in range(10):
            database.execute(
                "INSERT INTO search_savedsearch (name, slug, query_string, featured, created,"
                " client) VALUES (?, ?, ?, 0, datetime('now'), '')",
                (f"Range {number}", f"range{number:03d}", f"q={['a', 'z'][number % 2]}*"),
            )
    page = [timed(server, "/saved/") for _ in range(rounds)]
    counts = [timed(server, f"/s/range{number:03d}/count/") for number in range(10)]
    return {
        "saved_page_median_ms": round(statistics.median(page), 1),
        "count_median_ms": round(statistics.median(counts), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    arguments = parser.parse_args()
    data_dir = OUT / f"data-{arguments.articles}"
    prepare(data_dir, arguments.articles)
    results: dict = {"articles": arguments.articles, "rounds": arguments.rounds}
    # gunicorn turns "sync" into gthread when threads > 1: sync needs NEWSROOM_THREADS=1.
    configurations = [
        ("gthread 2x8", [], {}),
        ("sync 2", ["--worker-class", "sync"], {"NEWSROOM_THREADS": "1"}),
    ]
    for name, gunicorn_args, extra in configurations:
        server = Server(data_dir, gunicorn_args, **extra)
        try:
            results[name] = {
                "quiet": latencies(server, arguments.rounds),
                "4 half-open clients": with_half_open_clients(
                    server, arguments.rounds if name.startswith("gthread") else 3
                ),
                "8 concurrent readers": concurrent_readers(server),
            }
            if name.startswith("gthread"):
                results[name]["200 saved-search posts"] = saved_search_posts(server)
                results[name]["/saved/"] = saved_list(server, data_dir, arguments.rounds)
        finally:
            server.stop()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
