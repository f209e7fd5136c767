"""Every repository path, module and migration the README, docs/ and the code's comments name
exists: a reader who follows one finds it, not a name left behind by a move or a rename."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP_FOLDERS = "search|tests|bench|docs|seeds|templates|static|newsroom|\\.ci"
# A path starts at a top-level folder of the repository; a URL (`/search/...`) or a dotted
# module name does not.
PATH = re.compile(rf"(?<![\w./:@-])((?:{TOP_FOLDERS})/[\w.*<>{{}}/-]*[\w/*>}}])")
MIGRATION = re.compile(r"(?<![\w/])(\d{4}_[a-z][a-z0-9_]*)\b")
# A dotted name in the app: search.ingest.sources, search.desk.feeds.SavedSearchFeed.
DOTTED = re.compile(r"(?<![\w./-])(search(?:\.[A-Za-z_]\w*)+)")
# Django's own names in the app's label (a model's label, a permission) look dotted too.
DJANGO_LABEL = re.compile(r"search\.(?:(?:add|change|delete|view)_)?[a-z]+")
# ExportRecord.client's help text names the module as migration 0008 wrote it; changing the
# text would need a migration of its own.
KEPT_FOR_MIGRATIONS = {"search.clients"}


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


def top_level_names(module: Path) -> set[str]:
    """What a module defines or imports at its top level: what ``module.NAME`` may name."""
    names = set()
    for node in ast.parse(module.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def module_exists(dotted: str) -> bool:
    """``search.a.b.c``: packages, then a module, then one name defined in it (what follows
    that name, a method or an attribute, is not checked)."""
    here = ROOT / "search"
    parts = dotted.split(".")[1:]
    for index, part in enumerate(parts):
        if (here / part / "__init__.py").exists():
            here = here / part
        elif (here / f"{part}.py").exists():
            rest = parts[index + 1 :]
            return not rest or rest[0] in top_level_names(here / f"{part}.py")
        else:
            return part in top_level_names(here / "__init__.py")
    return True


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
            for dotted in DOTTED.findall(line):
                if DJANGO_LABEL.fullmatch(dotted) or dotted in KEPT_FOR_MIGRATIONS:
                    continue
                if not module_exists(dotted):
                    stale.append(f"{file}:{number}: module {dotted}")
    return stale


def test_every_named_path_exists():
    assert named_paths() == []


def test_a_stale_name_is_found(tmp_path, monkeypatch):
    """The check itself: a moved file and a misnamed migration are reported, where they are."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "search" / "migrations").mkdir(parents=True)
    (tmp_path / "search" / "migrations" / "0001_initial.py").touch()
    (tmp_path / "search" / "__init__.py").touch()
    (tmp_path / "search" / "query.py").write_text("class SearchQuery:\n    pass\n")
    (tmp_path / ".gitignore").write_text("bench/out/\n")
    (tmp_path / "docs" / "guide.md").write_text(
        "See search/query.py, search/ingest.py and bench/out/run.json;\n"
        "migration 0001_initial, then 0002_renamed; the page is /search/?q=x.\n"
        "search.query.SearchQuery.from_params, search.query.Gone, search.index_sync.\n"
    )
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)

    assert named_paths() == [
        "docs/guide.md:1: search/ingest.py",
        "docs/guide.md:2: migration 0002_renamed",
        "docs/guide.md:3: module search.query.Gone",
        "docs/guide.md:3: module search.index_sync",
    ]
