"""What is distinctive about ten commodity searches on Reuters-21578, as the panel lists it.

    .venv/bin/python bench/distinctive_eval.py                    # import once, then the lists
    .venv/bin/python bench/distinctive_eval.py --queries coffee gold

Reuters-21578 (../shared/corpora/reuters21578) and the seeds are imported by
``manage.py import_articles`` into bench/out/distinctive (once; delete the folder to import
again). Each search runs ``search.desk.distinctive`` with the app's defaults on the Whoosh
engine and prints its sample, its time and each kind's list (term, G², matches). How the
lists were judged is in docs/distinctive.md.
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
REUTERS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"
DATA_DIR = ROOT / "bench" / "out" / "distinctive"
QUERIES = (
    "coffee",
    "cocoa",
    "crude oil",
    "wheat",
    "gold",
    "sugar",
    "copper",
    "soybeans",
    "natural gas",
    "rubber",
)


def imported(data_dir: Path, env: dict) -> None:
    if (data_dir / "imported").exists():
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    corpus = data_dir / "reuters21578.jsonl"
    corpus.write_bytes(gzip.decompress(REUTERS.read_bytes()))
    manage = [PYTHON, str(ROOT / "manage.py")]
    quiet = {"env": env, "cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([*manage, "migrate", "-v0"], **quiet)
    subprocess.run([*manage, "load_seeds", "-v0"], **quiet)
    subprocess.run([*manage, "import_articles", str(corpus), "-v0"], **quiet)
    corpus.unlink()
    (data_dir / "imported").touch()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", nargs="+", default=QUERIES)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args()
    env = {
        **os.environ,
        "NEWSROOM_DATA_DIR": str(args.data_dir),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "LOG_LEVEL": "WARNING",
        "SEARCH_ENGINE": "whoosh",
    }
    env.pop("DATABASE_URL", None)
    imported(args.data_dir, env)
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from search.desk.distinctive import KINDS, distinctive
    from search.query import SearchQuery

    distinctive(SearchQuery(q="warm up"))  # opens the index
    for q in args.queries:
        started = time.perf_counter()
        found = distinctive(SearchQuery(q=q))
        took = time.perf_counter() - started
        print(f"## {q}: {found.sample_note}, {took:.2f} s")
        for kind in KINDS:
            terms = ", ".join(f"{t.term} ({t.score:.0f}, {t.matches})" for t in found.of_kind(kind))
            print(f"- {kind}s: {terms or '(none)'}")
        print()


if __name__ == "__main__":
    main()
