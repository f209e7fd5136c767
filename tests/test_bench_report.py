"""The benchmark's report: merging runs and rendering the table they measured."""

from bench.report import merge_reports, write_markdown

MACHINE = {
    "cpu": "Test CPU",
    "cores": 2,
    "memory_gb": 24,
    "python": "3.11",
    "whoosh": "2.7.5",
    "sqlite": "3.40",
    "load_average_at_start": [0.5, 0.5, 0.5],
}


def run(date: str, command: str, sizes: dict) -> dict:
    return {"date": date, "command": command, "machine": MACHINE, "sizes": sizes}


def test_a_reuse_run_replaces_rebuild_and_keeps_the_earlier_import(tmp_path):
    first = run(
        "2026-12-02T17:00",
        "bench/run.py --sizes 100000",
        {"100000": {"import": {"articles_per_s": 40.0}, "rebuild": {"articles_per_s": 190.0}}},
    )
    second = run(
        "2026-12-02T18:30",
        "bench/run.py --sizes 100000 --reuse",
        {"100000": {"rebuild": {"articles_per_s": 210.0}}},
    )
    ten_thousand = run(
        "2026-12-02T19:00",
        "bench/run.py --sizes 10000",
        {"10000": {"import": {"articles_per_s": 80.0}, "rebuild": {"articles_per_s": 200.0}}},
    )

    merged = merge_reports([first, second, ten_thousand])

    assert merged["sizes"]["100000"] == {
        "import": {"articles_per_s": 40.0},
        "rebuild": {"articles_per_s": 210.0},
    }
    assert [r["command"] for r in merged["runs"]] == [
        "bench/run.py --sizes 100000",
        "bench/run.py --sizes 100000 --reuse",
        "bench/run.py --sizes 10000",
    ]
    page = tmp_path / "performance.md"
    write_markdown(merged, page)
    text = page.read_text()
    assert "Measured 2026-12-02T18:30 with `bench/run.py --sizes 100000 --reuse`" in text
    # Sizes in order, whatever order the runs came in, and growth from the smaller one.
    assert "| Figure | N = 10,000 | N = 100,000 | growth 10,000 → 100,000 |" in text
    assert "| Import, end to end (articles/s) | 80 | 40 | 0.50× |" in text
    assert "| Rebuild (articles/s) | 200 | 210 | 1.05× |" in text
