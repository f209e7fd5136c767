#!/usr/bin/env python3
"""One entry point: ``python3 dev.py run``, ``python3 dev.py test`` and ``python3 dev.py serve``.

Needs nothing but Python 3.11+: it makes a virtualenv in .venv, installs the pinned
requirements (again only when they change), migrates, imports the seeds and builds the index.
Every step is idempotent, so running it twice is safe. ``serve`` is for production: it never
imports the seeds (editors may have hidden or deleted them); run ``setup`` once for those.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
# What each command installs: production (setup, run, serve) only what the app needs; the tests
# add pytest, Playwright, ruff and the other test tools (requirements-dev.txt includes the first).
REQUIREMENTS = {"runtime": ROOT / "requirements.txt", "dev": ROOT / "requirements-dev.txt"}
# Every transitive dependency pinned too (pip freeze of a working install), for repeatable setups.
CONSTRAINTS = ROOT / "constraints.txt"


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*args: str, env: dict | None = None) -> None:
    completed = subprocess.run(args, cwd=ROOT, env={**os.environ, **(env or {})})
    if completed.returncode:
        sys.exit(f"dev.py: `{' '.join(args)}` failed (exit {completed.returncode}); see above.")


def installed_stamp(kind: str) -> Path:
    return VENV / f".requirements-{kind}.sha256"


def ensure_virtualenv(kind: str = "runtime") -> None:
    """The virtualenv with the pinned requirements of ``kind`` ("runtime" or "dev"), installed
    again only when a requirements file changes; the dev set includes the runtime one."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may run on any python3
        sys.exit("Newsroom needs Python 3.11 or newer.")
    if not PYTHON.exists():
        step("Creating the virtualenv in .venv")
        venv.create(VENV, with_pip=True)
    wanted = hashlib.sha256(
        b"".join(p.read_bytes() for p in sorted([*ROOT.glob("requirements*.txt"), CONSTRAINTS]))
    ).hexdigest()
    enough = ["dev"] if kind == "dev" else ["runtime", "dev"]
    for installed in enough:
        stamp = installed_stamp(installed)
        if stamp.exists() and stamp.read_text() == wanted:
            return
    step(f"Installing the pinned {kind} requirements ({REQUIREMENTS[kind].name})")
    run(
        str(PYTHON),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--quiet",
        "-r",
        str(REQUIREMENTS[kind]),
        "-c",
        str(CONSTRAINTS),
    )
    installed_stamp(kind).write_text(wanted)


def manage(*args: str) -> None:
    run(str(PYTHON), "manage.py", *args)


def setup_app() -> None:
    ensure_virtualenv()
    step("Migrating the database")
    manage("migrate", "--noinput", "--verbosity", "0")
    step("Importing the seed corpus")
    manage("load_seeds")
    step("Checking the search index (builds it when missing)")
    manage("check_index", "--repair")


def data_dir() -> Path:
    return Path(os.environ.get("NEWSROOM_DATA_DIR", ROOT / "var"))


def data_dir_writable() -> bool:
    """As settings.py decides it; a read-only data dir is served read-only."""
    return not data_dir().exists() or os.access(data_dir(), os.W_OK)


def static_files_collected() -> bool:
    static_root = Path(os.environ.get("NEWSROOM_STATIC_ROOT") or data_dir() / "static")
    return (static_root / "staticfiles.json").exists()


def serve(gunicorn_args: list[str]) -> None:
    """gunicorn with DEBUG off, after the production checks; settings in the environment."""
    ensure_virtualenv()
    writable = data_dir_writable()
    # Static files are served collected: compressed, under names hashed by their content.
    # A read-only data dir keeps what an earlier serve collected, else serves the sources.
    if writable or static_files_collected():
        os.environ["NEWSROOM_COLLECTED_STATIC"] = "1"
    step("Checking the settings for production")
    manage("check", "--deploy", "--fail-level", "ERROR")
    if writable:
        step("Migrating the database")
        manage("migrate", "--noinput", "--verbosity", "0")
        step("Collecting the static files")
        manage("collectstatic", "--noinput", "--verbosity", "0")
    else:
        step("The data directory is read-only: serving reads only, as it is")
    # From here on nothing creates the SQLite database (gunicorn, alerts, batches): one deleted
    # while serving answers 503, not "no such table" from a new empty file.
    os.environ["NEWSROOM_SQLITE_CREATE"] = "0"
    if writable and os.environ.get("NEWSROOM_SEND_ALERTS", "1") != "0":
        # Started before the exec, so gunicorn's master is its parent: it stops with it.
        step("Sending alert mails every minute (manage.py send_alerts --every 60)")
        subprocess.Popen(
            [str(PYTHON), "manage.py", "send_alerts", "--every", "60"],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
        )
    if writable:
        start_batch_runner()
    gunicorn = VENV / "bin" / "gunicorn"
    step(f"Serving on {os.environ.get('NEWSROOM_BIND', '127.0.0.1:8000')} (gunicorn)")
    arguments = [str(gunicorn), "--config", "python:newsroom.gunicorn_conf", *gunicorn_args]
    os.chdir(ROOT)
    os.execv(str(gunicorn), arguments)


def start_batch_runner() -> None:
    """Batch searches run in their own process at a lower CPU priority, beside the server
    this process is about to become (exec keeps its pid): the runner exits when it is gone."""
    step("Running batch searches in the background (manage.py run_batches)")
    subprocess.Popen(
        [str(PYTHON), "manage.py", "run_batches", "--parent-pid", str(os.getpid())],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )


def main(argv: list[str]) -> None:
    command = argv[1] if len(argv) > 1 else "help"
    if command == "setup":
        setup_app()
    elif command == "run":
        setup_app()
        os.environ.setdefault("DEBUG", "1")
        start_batch_runner()
        step("Serving on http://127.0.0.1:8000 (Ctrl+C to stop)")
        os.execv(str(PYTHON), [str(PYTHON), "manage.py", "runserver", "127.0.0.1:8000", *argv[2:]])
    elif command == "serve":
        serve(argv[2:])
    elif command == "test":
        ensure_virtualenv("dev")
        step("Lint (ruff)")
        run(str(PYTHON), "-m", "ruff", "check", ".")
        run(str(PYTHON), "-m", "ruff", "format", "--check", ".")
        step("Layer contract (import-linter: the rooms and the engine boundary in pyproject.toml)")
        run(str(VENV / "bin" / "lint-imports"), "--no-logo")
        step("Tests (pytest)")
        run(str(PYTHON), "-m", "pytest", *argv[2:])
    else:
        print(__doc__)
        print("Commands: run | test [pytest args] | setup | serve [gunicorn args]")


if __name__ == "__main__":
    main(sys.argv)
