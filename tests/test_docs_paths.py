"""Every repository path and migration the README, docs/ and the code's comments name exists:
a reader who follows one finds the file, not a name left behind by a move or a rename."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP_FOLDERS = "search|tests|bench|docs|seeds|templates|static|newsroom|\\.ci"
# A path starts at a top-level folder of the repository; a URL (`/search/...`) or a dotted
# module name does not.
PATH = re.compile(rf"(?<![\w./:@-])((?:{TOP_FOLDERS})/[\w.*<>{{}}/-]*[\w/*>}}])")
MIGRATION = re.compile(r"(?<![\w/])(\d{4}_[a-z][a-z0-9_]*)\b")


def read_files() -> list[Path]:
    """The README, the docs and everything the code says of itself (tests may name files they
    make, so they are left out)."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    wanted = []
    for name in tracked:
        path = Path(name)
        if name == "README.md" or (path.parts[0] == "docs" and path.suffix == ".md"):
            wanted.append(path)
        elif path.parts[0] in {"search", "bench", "newsroom"} and path.suffix in {".py", ".txt"}:
            if "migrations" not in path.parts:
                wanted.append(path)
        elif name in {".ci/run", "pyproject.toml", "dev.py"} or name.startswith("requirements"):
            wanted.append(path)
    return wanted


def ignored_prefixes() -> tuple[str, ...]:
    """Folders the project writes and git ignores (bench/out/, var/): named, never committed."""
    lines = (ROOT / ".gitignore").read_text().splitlines()
    return tuple(line.lstrip("/") for line in lines if line.endswith("/") and "/" in line[:-1])


def exists(path: str) -> bool:
    if any(mark in path for mark in "*<>{}"):  # a pattern: its folder must exist
        path = re.split(r"[*<{]", path, maxsplit=1)[0].rsplit("/", 1)[0]
    path = path.rstrip(".")
    # Template names (search/article.html) are paths under templates/.
    return (ROOT / path).exists() or (ROOT / "templates" / path).exists()


def named_paths() -> list[str]:
    stale = []
    ignored = ignored_prefixes()
    migrations = {p.stem for p in (ROOT / "search" / "migrations").glob("0*.py")}
    for file in read_files():
        for number, line in enumerate((ROOT / file).read_text().splitlines(), 1):
            for path in PATH.findall(line):
                if not path.startswith(ignored) and not exists(path):
                    stale.append(f"{file}:{number}: {path}")
            for migration in MIGRATION.findall(line):
                if migration not in migrations:
                    stale.append(f"{file}:{number}: migration {migration}")
    return stale


def test_every_named_path_exists():
    assert named_paths() == []


def test_a_stale_name_is_found(tmp_path, monkeypatch):
    """The check itself: a moved file and a misnamed migration are reported, where they are."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "search" / "migrations").mkdir(parents=True)
    (tmp_path / "search" / "migrations" / "0001_initial.py").touch()
    (tmp_path / "search" / "query.py").touch()
    (tmp_path / ".gitignore").write_text("bench/out/\n")
    (tmp_path / "docs" / "guide.md").write_text(
        "See search/query.py, search/ingest.py and bench/out/run.json;\n"
        "migration 0001_initial, then 0002_renamed; the page is /search/?q=x.\n"
    )
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)

    assert named_paths() == [
        "docs/guide.md:1: search/ingest.py",
        "docs/guide.md:2: migration 0002_renamed",
    ]
