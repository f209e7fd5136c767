"""The layer contract (pyproject.toml, checked by import-linter in `python3 dev.py test`): the
tree keeps it, and a module that breaks a rule breaks the check, naming the rule.

Each wrong import goes into a copy of the package in a temporary folder, never into the tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

ROOMS = "Rooms are layered"
ENGINE_NEUTRAL = "The engine reads only the neutral modules"
ENGINE_ALONE = "Only search.engine imports a search library"


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_every_contract():
    checked = lint_imports(ROOT)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 broken" in checked.stdout


@pytest.mark.parametrize(
    ("module", "source", "rule", "named_import"),
    [
        (
            "search/ingest/wrong.py",
            "from search.web import pages\n",
            ROOMS,
            "search.ingest.wrong -> search.web.pages",
        ),
        (
            "search/engine/whoosh/wrong.py",
            "from search.desk import timeline\n",
            ROOMS,
            "search.engine.whoosh.wrong -> search.desk.timeline",
        ),
        (
            "search/accounts/wrong.py",
            "from search.ingest import sources\n",
            ROOMS,
            "search.accounts.wrong -> search.ingest.sources",
        ),
        (
            "search/engine/wrong.py",
            "from search.models import Article\n",
            ENGINE_NEUTRAL,
            "search.engine.wrong -> search.models",
        ),
        ("search/desk/wrong.py", "import whoosh\n", ENGINE_ALONE, "search.desk.wrong -> whoosh"),
        (
            "search/wrong.py",
            "from psycopg import sql\n",
            ENGINE_ALONE,
            "search.wrong -> psycopg",
        ),
        (
            "search/web/wrong.py",
            "from search.engine.whoosh import searching\n",
            ENGINE_ALONE,
            "search.web.wrong -> search.engine.whoosh.searching",
        ),
    ],
)
def test_a_wrong_import_breaks_the_check_naming_its_rule(
    tmp_path, module, source, rule, named_import
):
    shutil.copytree(
        ROOT / "search", tmp_path / "search", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / module).write_text(source)

    checked = lint_imports(tmp_path)

    assert checked.returncode == 1, checked.stdout + checked.stderr
    broken = checked.stdout.split("Broken contracts", 1)[1]
    assert rule in broken
    assert named_import in " ".join(broken.split())
