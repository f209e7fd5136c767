"""dev.py installs what each command needs: production (setup, run, serve) gets the runtime
requirements only, never the test tools; `dev.py test` adds them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import dev

ROOT = Path(__file__).resolve().parent.parent
TEST_TOOLS = {"pytest", "pytest-django", "pytest-xdist", "playwright", "ruff", "import-linter"}


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[=<>\[ ;]", line, maxsplit=1)[0].lower())
    return names


@pytest.fixture
def fresh_virtualenv(tmp_path, monkeypatch):
    """dev.py pointed at an empty .venv; the pip commands it would run are recorded."""
    venv_dir = tmp_path / ".venv"
    python = venv_dir / "bin" / "python"
    monkeypatch.setattr(dev, "VENV", venv_dir)
    monkeypatch.setattr(dev, "PYTHON", python)

    def create(path, with_pip):
        python.parent.mkdir(parents=True)
        python.touch()

    monkeypatch.setattr(dev.venv, "create", create)
    installs: list[str] = []

    def run(*args, env=None):
        assert args[1:4] == ("-m", "pip", "install")
        installs.append(Path(args[args.index("-r") + 1]).name)

    monkeypatch.setattr(dev, "run", run)
    return installs


def test_production_requirements_hold_no_test_tools():
    runtime = requirement_names(ROOT / "requirements.txt")
    assert {"django", "whoosh-reloaded", "gunicorn"} <= runtime
    assert not runtime & TEST_TOOLS
    assert requirement_names(ROOT / "requirements-dev.txt") >= TEST_TOOLS


def test_each_command_installs_its_own_requirements(fresh_virtualenv):
    dev.ensure_virtualenv("runtime")
    assert fresh_virtualenv == ["requirements.txt"]

    dev.ensure_virtualenv("runtime")  # installed and unchanged: nothing to do
    assert fresh_virtualenv == ["requirements.txt"]

    dev.ensure_virtualenv("dev")  # the tests need more
    assert fresh_virtualenv == ["requirements.txt", "requirements-dev.txt"]

    dev.ensure_virtualenv("runtime")  # the dev set includes the runtime one
    assert fresh_virtualenv == ["requirements.txt", "requirements-dev.txt"]


@pytest.mark.parametrize(
    ("command", "kind"), [("serve", "runtime"), ("setup", "runtime"), ("test", "dev")]
)
def test_commands_ask_for_their_requirements(monkeypatch, command, kind):
    asked = []

    def ensure_virtualenv(wanted="runtime"):
        asked.append(wanted)
        raise SystemExit  # stop before anything else runs

    monkeypatch.setattr(dev, "ensure_virtualenv", ensure_virtualenv)
    with pytest.raises(SystemExit):
        dev.main(["dev.py", command])
    assert asked == [kind]
