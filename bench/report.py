"""Render a benchmark run's raw JSON as markdown tables, for a human to read or to paste into
docs/performance.md (a reference written by hand: this script never edits it).

    python bench/report.py [bench/out/performance.json]       # the tables, on stdout
    python bench/report.py bench/out/postgres-app.json        # a bench/measure.py app result
    python bench/report.py merge OUT.json RUN.json RUN.json...  # sizes run apart, one table

bench/run.py writes its raw JSON and these tables to bench/out/ (git-ignored): raw results
are not kept in the repository, only the figures quoted in docs/.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def get(data: dict, path: str):
    for key in path.split("."):
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


ROWS = [
    ("Import, end to end (articles/s)", "import.articles_per_s", "{:,.0f}"),
    ("Import: seconds", "import.seconds", "{:,.0f}"),
    ("Import: peak RSS, importer (MB)", "import.peak_rss_mb", "{:,.0f}"),
    ("Import: peak RSS, importer + index worker (MB)", "import.peak_rss_tree_mb", "{:,.0f}"),
    ("Rebuild (articles/s)", "rebuild.articles_per_s", "{:,.0f}"),
    ("Rebuild: seconds", "rebuild.seconds", "{:,.1f}"),
    ("Rebuild: peak RSS, main process (MB)", "rebuild.peak_rss_mb", "{:,.0f}"),
    ("Rebuild: peak RSS, all processes (MB)", "rebuild.peak_rss_tree_mb", "{:,.0f}"),
    ("Index size on disk (MB)", "rebuild.index_mb", "{:,.1f}"),
    ("App JSON API: p50 (ms)", "app.api.latency.p50_ms", "{:,.1f}"),
    ("App JSON API: p95 (ms)", "app.api.latency.p95_ms", "{:,.1f}"),
    ("App JSON API: max (ms)", "app.api.latency.max_ms", "{:,.1f}"),
    ("App htmx partial: p50 (ms)", "app.htmx.latency.p50_ms", "{:,.1f}"),
    ("App htmx partial: p95 (ms)", "app.htmx.latency.p95_ms", "{:,.1f}"),
    ("Raw Whoosh (groupedby + highlights): p50 (ms)", "whoosh.latency.p50_ms", "{:,.1f}"),
    ("Raw Whoosh (groupedby + highlights): p95 (ms)", "whoosh.latency.p95_ms", "{:,.1f}"),
    ("SQLite FTS5 (bm25, snippet, GROUP BY): p50 (ms)", "fts5.latency.p50_ms", "{:,.1f}"),
    ("SQLite FTS5 (bm25, snippet, GROUP BY): p95 (ms)", "fts5.latency.p95_ms", "{:,.1f}"),
    ("App ÷ raw Whoosh, p50", "ratios.app_over_whoosh_p50", "{:.2f}×"),
    ("App ÷ raw Whoosh, p95", "ratios.app_over_whoosh_p95", "{:.2f}×"),
    ("App ÷ FTS5, p50", "ratios.app_over_fts5_p50", "{:.2f}×"),
    ("App ÷ FTS5, p95", "ratios.app_over_fts5_p95", "{:.2f}×"),
    ("FTS5 build from the database (s)", "fts5.build_seconds", "{:,.1f}"),
    ("FTS5 database size (MB)", "fts5.size_mb", "{:,.1f}"),
    ("Saved → found by search, median (ms)", "freshness.median_ms", "{:,.0f}"),
    ("Serving process: peak RSS (MB)", "app.peak_rss_mb", "{:,.0f}"),
    ("Raw Whoosh process: peak RSS (MB)", "whoosh.peak_rss_mb", "{:,.0f}"),
    ("PostgreSQL: import, end to end (articles/s)", "postgres.import.articles_per_s", "{:,.0f}"),
    ("PostgreSQL: import, seconds", "postgres.import.seconds", "{:,.0f}"),
    ("PostgreSQL: import, peak RSS importer (MB)", "postgres.import.peak_rss_tree_mb", "{:,.0f}"),
    ("PostgreSQL: rebuild (articles/s)", "postgres.rebuild.articles_per_s", "{:,.0f}"),
    ("PostgreSQL: rebuild, seconds", "postgres.rebuild.seconds", "{:,.1f}"),
    ("PostgreSQL: engine tables with indexes (MB)", "postgres.rebuild.index_mb", "{:,.1f}"),
    ("PostgreSQL: whole database (MB)", "postgres.rebuild.database_mb", "{:,.1f}"),
    ("PostgreSQL app JSON API: p50 (ms)", "postgres.app.api.latency.p50_ms", "{:,.1f}"),
    ("PostgreSQL app JSON API: p95 (ms)", "postgres.app.api.latency.p95_ms", "{:,.1f}"),
    ("PostgreSQL app JSON API: max (ms)", "postgres.app.api.latency.max_ms", "{:,.1f}"),
    ("PostgreSQL app htmx partial: p50 (ms)", "postgres.app.htmx.latency.p50_ms", "{:,.1f}"),
    ("PostgreSQL app htmx partial: p95 (ms)", "postgres.app.htmx.latency.p95_ms", "{:,.1f}"),
    ("PostgreSQL ÷ Whoosh engine (API), p50", "ratios.postgres_over_whoosh_engine_p50", "{:.2f}×"),
    ("PostgreSQL ÷ Whoosh engine (API), p95", "ratios.postgres_over_whoosh_engine_p95", "{:.2f}×"),
    ("PostgreSQL ÷ FTS5, p50", "ratios.postgres_over_fts5_p50", "{:.2f}×"),
    ("PostgreSQL ÷ FTS5, p95", "ratios.postgres_over_fts5_p95", "{:.2f}×"),
    ("PostgreSQL: saved → found, median (ms)", "postgres.freshness.median_ms", "{:,.0f}"),
    ("tantivy: import, end to end (articles/s)", "tantivy.import.articles_per_s", "{:,.0f}"),
    ("tantivy: rebuild (articles/s)", "tantivy.rebuild.articles_per_s", "{:,.0f}"),
    ("tantivy: index size on disk (MB)", "tantivy.rebuild.index_mb", "{:,.1f}"),
    ("tantivy app JSON API: p95 (ms)", "tantivy.app.api.latency.p95_ms", "{:,.1f}"),
    ("tantivy app htmx partial: p95 (ms)", "tantivy.app.htmx.latency.p95_ms", "{:,.1f}"),
]

# One size's engines side by side: where each engine's steps sit in a size's result (Whoosh's
# at the top, for the JSON of runs from before there were three engines).
ENGINE_PREFIXES = (("Whoosh", ""), ("tantivy", "tantivy."), ("PostgreSQL", "postgres."))
ENGINE_ROWS = [
    ("Import, end to end (articles/s)", "import.articles_per_s", "{:,.0f}"),
    ("Import: seconds", "import.seconds", "{:,.0f}"),
    ("Import: CPU seconds, all processes", "import.cpu_seconds", "{:,.0f}"),
    ("Import: peak RSS, importer + index worker (MB)", "import.peak_rss_tree_mb", "{:,.0f}"),
    ("Rebuild (articles/s)", "rebuild.articles_per_s", "{:,.0f}"),
    ("Rebuild: seconds", "rebuild.seconds", "{:,.1f}"),
    ("Rebuild: CPU seconds, all processes", "rebuild.cpu_seconds", "{:,.0f}"),
    ("Rebuild: peak RSS, all processes (MB)", "rebuild.peak_rss_tree_mb", "{:,.0f}"),
    ("Index size on disk (MB)", "rebuild.index_mb", "{:,.1f}"),
    ("Index size on disk, kept from an earlier run (MB)", "index.index_mb", "{:,.1f}"),
    ("JSON API: p50 (ms)", "app.api.latency.p50_ms", "{:,.1f}"),
    ("JSON API: p95 (ms)", "app.api.latency.p95_ms", "{:,.1f}"),
    ("JSON API: max (ms)", "app.api.latency.max_ms", "{:,.1f}"),
    ("htmx partial: p50 (ms)", "app.htmx.latency.p50_ms", "{:,.1f}"),
    ("htmx partial: p95 (ms)", "app.htmx.latency.p95_ms", "{:,.1f}"),
    ("Serving process (in-process app step): peak RSS (MB)", "app.peak_rss_mb", "{:,.0f}"),
    ("Saved → found by search, median (ms)", "freshness.median_ms", "{:,.0f}"),
]


def engines_table(result: dict, size: int | str) -> list[str]:
    """The engines measured at one size as columns (none: no lines)."""
    measured = [
        (name, prefix)
        for name, prefix in ENGINE_PREFIXES
        if any(get(result, prefix + key) is not None for _label, key, _pattern in ENGINE_ROWS)
    ]
    if not measured:
        return []
    lines = [
        f"Engines side by side at N = {int(size):,}:",
        "",
        "| Figure | " + " | ".join(name for name, _prefix in measured) + " |",
        "|---|" + "---:|" * len(measured),
    ]
    for label, key, pattern in ENGINE_ROWS:
        values = [get(result, prefix + key) for _name, prefix in measured]
        if any(value is not None for value in values):
            lines.append(f"| {label} | " + " | ".join(cell(v, pattern) for v in values) + " |")
    return [*lines, ""]


def ratio(numerator, denominator):
    return numerator / denominator if numerator is not None and denominator else None


def cell(value, pattern: str) -> str:
    return "—" if value is None else pattern.format(value)


def render(report: dict) -> str:
    """The run's figures, one column a size, then its largest size query by query."""
    sizes = sorted(report["sizes"], key=int)
    lines = []
    for run in report.get("runs", [report]):
        machine = run["machine"]
        lines.append(
            f"Measured {run['date']} with `{run['command']}` on {machine['cpu']} "
            f"({machine['cores']} cores, {machine['memory_gb']} GB; load average at start "
            f"{', '.join(f'{x:.2f}' for x in machine['load_average_at_start'])}), Python "
            f"{machine['python']}, Whoosh {machine['whoosh']}, "
            + (f"tantivy {machine['tantivy']}, " if "tantivy" in machine else "")
            + f"SQLite {machine['sqlite']}."
        )
    lines += [
        "",
        "| Figure | "
        + " | ".join(f"N = {int(s):,}" for s in sizes)
        + (f" | growth {int(sizes[0]):,} → {int(sizes[-1]):,}" if len(sizes) > 1 else "")
        + " |",
        "|---|" + "---:|" * len(sizes) + ("---:|" if len(sizes) > 1 else ""),
    ]
    for label, key, pattern in ROWS:
        values = [get(report["sizes"][s], key) for s in sizes]
        if all(v is None for v in values):
            continue
        row = f"| {label} | " + " | ".join(cell(v, pattern) for v in values)
        if len(sizes) > 1:
            first, last = values[0], values[-1]
            growth = f"{last / first:.2f}×" if first and last is not None else "—"
            row += f" | {growth}"
        lines.append(row + " |")
    lines.append("")
    for size in sizes:
        lines += engines_table(report["sizes"][size], size)
    largest = report["sizes"][sizes[-1]]
    lines += [
        f"Per query at N = {int(sizes[-1]):,}: median ms over the timed rounds "
        "(total = articles matched, as each engine counts them).",
        "",
        "| Query | App API | App htmx | Raw Whoosh | FTS5 | App ÷ Whoosh | tantivy API "
        "| PostgreSQL API | total (app / FTS5 / tantivy / PostgreSQL) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    tantivy = get(largest, "tantivy.app.api.latency.per_query_median_ms") or {}
    postgres = get(largest, "postgres.app.api.latency.per_query_median_ms") or {}
    api = get(largest, "app.api.latency.per_query_median_ms") or {}
    htmx = get(largest, "app.htmx.latency.per_query_median_ms") or {}
    raw = get(largest, "whoosh.latency.per_query_median_ms") or {}
    fts = get(largest, "fts5.latency.per_query_median_ms") or {}
    for name in api or tantivy or postgres:
        app_total = (get(largest, "app.api.answers") or {}).get(name, {}).get("total")
        fts_total = (get(largest, "fts5.answers") or {}).get(name, {}).get("total")
        pg_total = (get(largest, "postgres.app.api.answers") or {}).get(name, {}).get("total")
        tantivy_total = (get(largest, "tantivy.app.api.answers") or {}).get(name, {}).get("total")
        lines.append(
            f"| {name} | {cell(api.get(name), '{:.1f}')} | {cell(htmx.get(name), '{:.1f}')} | "
            f"{cell(raw.get(name), '{:.1f}')} | {cell(fts.get(name), '{:.1f}')} | "
            f"{cell(ratio(api.get(name), raw.get(name)), '{:.2f}×')} | "
            f"{cell(tantivy.get(name), '{:.1f}')} | {cell(postgres.get(name), '{:.1f}')} | "
            f"{cell(app_total, '{}')} / {cell(fts_total, '{}')} / "
            f"{cell(tantivy_total, '{}')} / {cell(pg_total, '{}')} |"
        )
    return "\n".join(lines) + "\n"


def write_markdown(report: dict, path: Path) -> None:
    path.write_text(render(report))


def render_app_measure(result: dict) -> str:
    """p50/p95/max of one ``bench/measure.py app`` result (every timed request pooled), as
    bench/run.py summarises its app step."""
    from run import latency_summary  # bench/ is on the path when run as a script

    lines = ["| Through the app | p50 (ms) | p95 (ms) | max (ms) |", "|---|---:|---:|---:|"]
    for kind, label in (("api", "JSON API"), ("htmx", "htmx partial")):
        summary = latency_summary(result[kind]["samples_ms"])
        lines.append(
            f"| {label} | {summary['p50_ms']:.1f} | {summary['p95_ms']:.1f} "
            f"| {summary['max_ms']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def merge_reports(reports: list[dict]) -> dict:
    """One report of several runs: a later run's steps replace an earlier one's at the same
    size (a ``--reuse`` run brings rebuild and searches, not the import); each run's date,
    command and machine are kept, so the page says which runs measured the table."""
    merged: dict = {"runs": [], "sizes": {}}
    for report in reports:
        for run in report.get("runs", [report]):
            merged["runs"].append({key: run[key] for key in ("date", "command", "machine")})
        for size, steps in report["sizes"].items():
            into = merged["sizes"].setdefault(size, {})
            # an engine's block and the ratios merge step by step, like the size's own steps
            nested = {
                key: {**into.get(key, {}), **steps[key]}
                for key in ("ratios", "tantivy", "postgres")
                if isinstance(steps.get(key), dict)
            }
            into.update(steps, **nested)
    return merged


if __name__ == "__main__":
    if sys.argv[1:2] == ["merge"]:
        # python bench/report.py merge OUT.json RUN.json RUN.json...
        reports = [json.loads(Path(name).read_text()) for name in sys.argv[3:]]
        Path(sys.argv[2]).write_text(json.dumps(merge_reports(reports), indent=1) + "\n")
        sys.exit()
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "out" / "performance.json"
    data = json.loads(source.read_text())
    print(render(data) if "sizes" in data else render_app_measure(data), end="")
