"""Load on the production command: 20 readers and some writers for a fixed time, on worker
processes only and on threads, then a check that every write is there.

    python bench/load.py DATA_DIR [--seconds 60] [--readers 20]

DATA_DIR is an archive the benchmark built (e.g. bench/out/data-10000 after
``bench/run.py --sizes 10000``); it is copied, never changed. Loopback only, bounded loops.
Readers: search pages, htmx partials, facet clicks, deep pages, article pages, feeds, the API.
Writers, meanwhile: saved searches posted through the site (form and CSRF token), an import
of new articles (``manage.py import_articles``) and an editor's saves (the ORM's save, which
the admin calls too). Afterwards: ``check_index`` must be clean, and every saved search,
imported article and edit must be findable. A single reader's throughput is measured first,
as the baseline the 20 readers are compared with, then 20 readers without writers (both for
``--baseline`` seconds), then 20 readers with the writers.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import shutil
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

from serve_probe import OUT, PYTHON, ROOT, Server, environment, form_token, save_search

READS = [
    "/?q=cyber",
    "/?q=maritime+security",
    "/?q=%22prime+minister%22",
    "/?q=secur*&sort=newest",
    "/?minister=jaishankar",
    "/?q=government&page=20",
    "/api/search?q=people&per_page=20",
    "/api/search?q=navy+OR+naval&year=2021",
]
CONFIGURATIONS = {
    "processes (4 workers x 1 thread)": {"NEWSROOM_WORKERS": "4", "NEWSROOM_THREADS": "1"},
    "threads (2 workers x 8 threads)": {"NEWSROOM_WORKERS": "2", "NEWSROOM_THREADS": "8"},
}


def reader_paths(server: Server) -> list[str]:
    saved = save_search(server, 0, form_token(server))
    _, _, page = server.get("/?q=security")
    articles = sorted(set(re.findall(rb'href="(/articles/\d+/)', page)))[:8]
    facets = sorted(set(re.findall(rb'href="(/\?[^"]*(?:minister|topic|year)=[^"]*)"', page)))[:4]
    feeds = ["/saved/", f"{saved}feed/"] if saved else ["/saved/"]
    return READS + [p.decode().replace("&amp;", "&") for p in articles + facets] + feeds


def read_for(server: Server, paths: list[str], until: float, seed: int, samples: list) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        path = rng.choice(paths)
        headers = {"HX-Request": "true"} if rng.random() < 0.3 and path.startswith("/?") else {}
        started = time.perf_counter()
        try:
            status, _, _ = server.get(path, **headers)
        except OSError:
            status = 0
        samples.append((status, (time.perf_counter() - started) * 1000))


def read_concurrently(server: Server, paths: list[str], readers: int, seconds: float) -> list:
    samples: list = []
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=read_for, args=(server, paths, until, 100 + n, samples))
        for n in range(readers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def post_saved_searches(server: Server, until: float, saved: list[str]) -> None:
    token, number = form_token(server), 1
    while time.monotonic() < until:
        saved.append(save_search(server, number, token) or "")
        number += 1
        time.sleep(2)


def edit_articles(data_dir: str, until: float, edited: list) -> None:
    """An editor's saves, in a process of its own (as an admin request would run)."""
    os.environ.update(environment(Path(data_dir)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import sys

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from search.models import Article

    ids = list(Article.objects.order_by("?").values_list("pk", flat=True)[:100])
    number = 0
    while time.monotonic() < until and number < len(ids):
        article = Article.objects.get(pk=ids[number])
        word = f"loadedit{number}x"
        article.title = f"{article.title[:200]} {word}"
        article.save()
        edited.append((article.pk, word))
        number += 1
        time.sleep(1)


def write_import_files(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"load-{number}.txt").write_text(
            f"Load test article {number}\n\nNEW DELHI, March 3, 2024: The importword{number}x "
            "talks went on for a week, officials said, and the ministers met twice.\n"
        )


def run_configuration(data_dir: Path, name: str, extra: dict, arguments) -> dict:
    server = Server(data_dir, [], NEWSROOM_SAVES_PER_CLIENT_PER_HOUR="100000", **extra)
    try:
        paths = reader_paths(server)
        single: list = []
        read_for(server, paths, time.monotonic() + arguments.baseline, 0, single)
        readers_only = read_concurrently(server, paths, arguments.readers, arguments.baseline)
        until = time.monotonic() + arguments.seconds
        samples: list = []
        saved: list[str] = []
        manager = multiprocessing.get_context("spawn").Manager()
        edited = manager.list()
        imports = data_dir.parent / f"import-{len(name)}"
        write_import_files(imports, 50)
        editor = multiprocessing.get_context("spawn").Process(
            target=edit_articles, args=(str(data_dir), until, edited)
        )
        editor.start()
        threads = [
            threading.Thread(target=read_for, args=(server, paths, until, n + 1, samples))
            for n in range(arguments.readers)
        ]
        threads.append(threading.Thread(target=post_saved_searches, args=(server, until, saved)))
        for thread in threads:
            thread.start()
        importer = subprocess.run(
            [str(PYTHON), "manage.py", "import_articles", str(imports)],
            cwd=ROOT,
            env=environment(data_dir),
            capture_output=True,
            text=True,
        )
        for thread in threads:
            thread.join()
        editor.join()
        return {
            "single reader": summary(single, arguments.baseline),
            f"{arguments.readers} readers, no writers": summary(readers_only, arguments.baseline),
            f"{arguments.readers} readers + writers": summary(samples, arguments.seconds),
            "writes": check_writes(server, data_dir, saved, list(edited), importer),
        }
    finally:
        server.stop()


def summary(samples: list, seconds: float) -> dict:
    times = sorted(ms for _status, ms in samples)

    def percentile(p: float) -> float:
        return round(times[min(len(times) - 1, int(p * len(times)))], 1)

    return {
        "requests": len(samples),
        "per_second": round(len(samples) / seconds, 1),
        "p50_ms": percentile(0.5),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "errors": sum(1 for status, _ms in samples if status >= 500 or status == 0),
        "errors by status (0: no answer in 15 s)": dict(
            Counter(str(status) for status, _ms in samples if status >= 500 or status == 0)
        ),
    }


def check_writes(server: Server, data_dir: Path, saved: list, edited: list, importer) -> dict:
    check = subprocess.run(
        [str(PYTHON), "manage.py", "check_index"],
        cwd=ROOT,
        env=environment(data_dir),
        capture_output=True,
        text=True,
    )
    lost_saved = [url for url in saved if not url or server.get(url)[0] != 200]
    lost_edits = [word for _pk, word in edited if total(server, word) != 1]
    imported = sum(total(server, f"importword{n}x") for n in range(50))
    return {
        "saved searches": len(saved),
        "saved searches not found": len(lost_saved),
        "edits": len(edited),
        "edits not found": len(lost_edits),
        "import": importer.stdout.strip().splitlines()[-1:] or importer.stderr[-300:],
        "imported articles found (of 50)": imported,
        "check_index": "clean" if check.returncode == 0 else check.stdout[-500:],
    }


def total(server: Server, word: str) -> int:
    _, _, body = server.get(f"/api/search?q={word}")
    return json.loads(body)["total"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline", type=float, default=20)
    parser.add_argument("--readers", type=int, default=20)
    arguments = parser.parse_args()
    results: dict = {"readers": arguments.readers, "seconds": arguments.seconds}
    for name, extra in CONFIGURATIONS.items():
        copy = OUT / "load" / "data"
        shutil.rmtree(copy.parent, ignore_errors=True)
        shutil.copytree(arguments.data_dir, copy)
        results[name] = run_configuration(copy, name, extra, arguments)
        alone = results[name]["single reader"]["per_second"]
        for phase in ("readers, no writers", "readers + writers"):
            concurrent = results[name][f"{arguments.readers} {phase}"]["per_second"]
            ratio = round(concurrent / alone, 2) if alone else None
            results[name][f"throughput ratio, {phase}"] = ratio
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
