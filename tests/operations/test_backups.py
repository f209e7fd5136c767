"""Online backup and restore: a backup taken while an import writes holds every article
committed before it started, and restores into an empty data directory, searchable, with its
manual fields and cleaning decisions, every count equal to the manifest's."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from pathlib import Path

from search import engine
from search.query import SearchQuery
from tests.tooling import ROOT

# The data directory fixtures (seeded_data_dir, data_dir_copy) live in tests/servers.py.
pytest_plugins = ["tests.servers"]

WIRE_ARTICLES = 3000
KEPT_LINE = "Kept by an editor: the minister's full statement follows."


def manage_command(data_dir: Path, *args: str) -> dict:
    """How to run manage.py on that data directory (tests.servers is a plugin: imported late)."""
    from tests.servers import PYTHON, server_environment

    return {
        "args": [str(PYTHON), "manage.py", *args],
        "cwd": ROOT,
        "env": server_environment(data_dir),
    }


def run_manage(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        **manage_command(data_dir, *args),
        capture_output=True,
        text=True,
        timeout=300,
    )


def articles(data_dir: Path) -> dict[int, tuple]:
    """Each committed article's id with its title, manual fields and cleaning decisions."""
    uri = f"{(data_dir / 'newsroom.sqlite3').as_uri()}?mode=ro"
    with sqlite3.connect(uri, uri=True) as connection:
        rows = connection.execute(
            "SELECT id, title, manual_fields, cleaning_overrides FROM search_article"
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def write_wire_copy(path: Path, count: int) -> None:
    with path.open("w") as stream:
        for number in range(count):
            body = " ".join(
                f"Paragraph {paragraph} of wire report {number} on harbour cranes, freight "
                "rates and the ministers who met in port this week to discuss them."
                for paragraph in range(6)
            )
            record = {
                "title": f"Harbour report {number}",
                "body": body,
                "url": f"https://wire.example.org/harbour-{number}",
                "published": "2024-03-04",
            }
            stream.write(json.dumps(record) + "\n")


def curate_first_article(data_dir: Path) -> int:
    """An editor's hand-set title and a kept line, as the admin stores them."""
    with sqlite3.connect(data_dir / "newsroom.sqlite3") as connection:
        (article_id,) = connection.execute("SELECT MIN(id) FROM search_article").fetchone()
        connection.execute(
            "UPDATE search_article SET title = ?, manual_fields = ?, cleaning_overrides = ? "
            "WHERE id = ?",
            (
                "Hand-set title about airships",
                '["title"]',
                json.dumps({"keep": [KEPT_LINE], "drop": []}),
                article_id,
            ),
        )
    return article_id


def test_a_backup_during_an_import_restores_everything_committed_before_it(
    data_dir_copy, tmp_path, settings
):
    curated_id = curate_first_article(data_dir_copy)
    seed_count = len(articles(data_dir_copy))
    corpus = tmp_path / "wire.jsonl"
    write_wire_copy(corpus, WIRE_ARTICLES)  # batches of 200, each its own transaction
    importing = subprocess.Popen(
        **manage_command(data_dir_copy, "import_articles", str(corpus)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 240
        while len(articles(data_dir_copy)) == seed_count:
            assert importing.poll() is None, importing.stderr.read()
            assert time.monotonic() < deadline, "the import committed nothing in 4 minutes"
            time.sleep(0.2)
        committed_before = articles(data_dir_copy)
        backup = run_manage(data_dir_copy, "backup", str(tmp_path / "backup"))
        assert backup.returncode == 0, backup.stderr
        assert importing.wait(timeout=300) == 0, importing.stderr.read()
    finally:
        if importing.poll() is None:
            importing.kill()
            importing.wait()
    assert len(articles(data_dir_copy)) == seed_count + WIRE_ARTICLES
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    backed_up = manifest["counts"]["search.article"]
    assert seed_count < len(committed_before) <= backed_up < seed_count + WIRE_ARTICLES, (
        "the backup was taken while the import still wrote"
    )
    assert set(manifest["files"]) == {"database.sqlite3"}  # SECRET_KEY comes from the env

    restored_dir = tmp_path / "restored"
    restore = run_manage(restored_dir, "restore", str(tmp_path / "backup"))
    assert restore.returncode == 0, restore.stderr
    assert "every count matches the backup's manifest" in restore.stdout
    restored = articles(restored_dir)
    assert len(restored) == manifest["counts"]["search.article"]
    assert committed_before.items() <= restored.items()
    title, manual_fields, overrides = restored[curated_id]
    assert (title, json.loads(manual_fields)) == ("Hand-set title about airships", ["title"])
    assert json.loads(overrides)["keep"] == [KEPT_LINE]

    # The rebuilt index of the restored archive finds them.
    settings.NEWSROOM = {**settings.NEWSROOM, "INDEX_DIR": str(restored_dir / "index")}
    engine.reset()
    assert set(engine.indexed_versions()) == set(restored)
    hits = engine.search(SearchQuery(q="airships")).hits
    assert [hit.id for hit in hits] == [curated_id]
    # Every copy: the generated reports are near-duplicates of each other, collapsed by default.
    every_copy = SearchQuery(q="harbour cranes", every_copy=True)
    assert engine.search(every_copy).total == len(restored) - seed_count


def test_restore_refuses_a_damaged_backup_and_a_data_directory_in_use(data_dir_copy, tmp_path):
    backup_dir = tmp_path / "backup"
    assert run_manage(data_dir_copy, "backup", str(backup_dir)).returncode == 0
    refused = run_manage(data_dir_copy, "backup", str(backup_dir))
    assert refused.returncode == 1 and "is not empty: back up into a new folder" in refused.stderr

    in_use = run_manage(data_dir_copy, "restore", str(backup_dir))
    assert in_use.returncode == 1
    assert "The database already holds tables: restore into an empty data directory" in (
        in_use.stderr
    )
    database = backup_dir / "database.sqlite3"
    damaged = bytearray(database.read_bytes())
    damaged[-100] ^= 0xFF
    database.write_bytes(bytes(damaged))
    broken = run_manage(tmp_path / "empty", "restore", str(backup_dir))
    assert broken.returncode == 1
    assert "missing or differ from the manifest: database.sqlite3" in broken.stderr
    not_a_backup = run_manage(tmp_path / "empty", "restore", str(tmp_path))
    assert not_a_backup.returncode == 1 and "holds no manifest.json" in not_a_backup.stderr


def test_on_postgresql_pg_dump_and_pg_restore_carry_the_archive(request, settings, tmp_path):
    import psycopg
    from django.core.management import call_command
    from django.db import connections

    from tests.postgres import use_postgres

    use_postgres(request)
    settings.SEARCH_ENGINE = "postgres"
    engine.reset()
    call_command("load_seeds", verbosity=0)
    database = connections["default"].settings_dict
    host = database["HOST"]

    def environment(name: str) -> dict:
        return {
            **manage_command(tmp_path / "data", "check")["env"],
            "DATABASE_URL": f"postgres://postgres@/{name}?host={host}",
            "SEARCH_ENGINE": "postgres",
        }

    backup = subprocess.run(
        [*manage_command(tmp_path, "backup", str(tmp_path / "backup"))["args"]],
        cwd=ROOT,
        env=environment(database["NAME"]),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert backup.returncode == 0, backup.stderr
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"] == "postgresql" and manifest["counts"]["search.article"] == 5
    with connections["default"].cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS newsroom_restored")
        cursor.execute("CREATE DATABASE newsroom_restored")
    try:
        restore = subprocess.run(
            [*manage_command(tmp_path, "restore", str(tmp_path / "backup"))["args"]],
            cwd=ROOT,
            env=environment("newsroom_restored"),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert restore.returncode == 0, restore.stderr
        with psycopg.connect(host=host, dbname="newsroom_restored", user="postgres") as restored:
            (articles_restored,) = restored.execute(
                "SELECT COUNT(*) FROM search_article"
            ).fetchone()
            (entries,) = restored.execute("SELECT COUNT(*) FROM search_engine_entry").fetchone()
        assert articles_restored == entries == 5
    finally:
        with connections["default"].cursor() as cursor:
            cursor.execute("DROP DATABASE IF EXISTS newsroom_restored")
