"""The production server for real: `dev.py serve` (gunicorn) on a free 127.0.0.1 port.

A data directory with the seeds migrated, imported and indexed is made once per session by the
README's own commands; each server gets a copy, so a test may damage or lock its copy freely.
Imported by the test modules that start servers (``pytest_plugins``).
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
START_TIMEOUT = 90.0  # dev.py serve checks, migrates and collects static files first
STRONG_KEY = "k" + "".join(chr(ord("a") + i % 26) for i in range(60))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_")) and key not in {"DEBUG", "SECRET_KEY"}
    }
    environment.update(
        NEWSROOM_DATA_DIR=str(data_dir), SECRET_KEY=STRONG_KEY, PYTHONUNBUFFERED="1", **extra
    )
    return environment


def manage(data_dir: Path, *args: str) -> None:
    subprocess.run(
        [str(PYTHON), "manage.py", *args, "--verbosity", "0"],
        cwd=ROOT,
        env=server_environment(data_dir),
        check=True,
        timeout=300,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def seeded_data_dir(tmp_path_factory) -> Path:
    """A data directory as `dev.py setup` leaves it: migrated, seeds imported, index built."""
    data_dir = tmp_path_factory.mktemp("served") / "data"
    manage(data_dir, "migrate", "--noinput")
    manage(data_dir, "load_seeds")
    manage(data_dir, "rebuild_index")
    return data_dir


@pytest.fixture
def data_dir_copy(seeded_data_dir, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(seeded_data_dir, copy, symlinks=True)
    return copy


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    stdout_path: Path
    stderr_path: Path

    def request(
        self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, headers=headers)

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stdout_lines_with(self, text: str, *, wait: float = 10.0) -> list[str]:
        """The access log is written just after the response is sent: wait for it, bounded."""
        deadline = time.monotonic() + wait
        while True:
            lines = [line for line in self.stdout().splitlines() if text in line]
            if lines or time.monotonic() > deadline:
                return lines
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(
    data_dir: Path, logs_dir: Path, *, wrapper: list[str] = (), **environment: str
) -> Server:
    """`python3 dev.py serve` (it execs gunicorn: the process is the gunicorn master)."""
    port = free_port()
    environment = server_environment(
        data_dir, NEWSROOM_BIND=f"127.0.0.1:{port}", NEWSROOM_WORKER_TIMEOUT="60", **environment
    )
    stdout_path, stderr_path = logs_dir / "server.out", logs_dir / "server.err"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [*wrapper, sys.executable, "dev.py", "serve"],
            cwd=ROOT,
            env=environment,
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
    server = Server(process, port, stdout_path, stderr_path)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"the server stopped (exit {process.returncode}):\n"
                f"{server.stdout()}\n{server.stderr()}"
            )
        try:
            server.get("/healthz")
            return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise AssertionError(f"the server did not answer in {START_TIMEOUT:.0f} s:\n{server.stderr()}")


@pytest.fixture
def serve(tmp_path):
    """Start servers with ``serve(data_dir, **environment)``; all are stopped after the test."""
    servers = []

    def start(data_dir: Path, *, wrapper: list[str] = (), **environment: str) -> Server:
        logs_dir = tmp_path / f"logs-{len(servers)}"
        logs_dir.mkdir()
        server = start_server(data_dir, logs_dir, wrapper=list(wrapper), **environment)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def shared_server(seeded_data_dir, tmp_path_factory):
    """One server for the tests of a module that only read (each test restarting one costs
    the whole start-up: checks, migrations, collectstatic)."""
    copy = tmp_path_factory.mktemp("shared") / "data"
    shutil.copytree(seeded_data_dir, copy, symlinks=True)
    server = start_server(copy, copy.parent)
    yield server
    server.stop()


@pytest.fixture
def run_serve_command():
    """`python3 dev.py serve` run to its end, for start-ups that must stop at once."""

    def run(data_dir: Path, **environment: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "dev.py", "serve"],
            cwd=ROOT,
            env={**server_environment(data_dir), **environment},
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run
