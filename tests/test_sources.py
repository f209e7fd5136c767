"""Reading input files: every bad file is reported with a reason, the rest goes on."""

import datetime
import json

from search.sources import (
    SourceDocument,
    SourceProblem,
    count_documents,
    find_input_files,
    read_documents,
)


def read(path, max_bytes=1000):
    return list(read_documents(path, display_path=path.name, max_bytes=max_bytes))


def test_text_and_html_files_become_documents(tmp_path):
    (tmp_path / "a.txt").write_text("Headline\nBody text.", encoding="utf-8")
    (tmp_path / "b.htm").write_text("<p>Hello</p>", encoding="utf-8")
    [text] = read(tmp_path / "a.txt")
    [html] = read(tmp_path / "b.htm")
    assert text == SourceDocument("a.txt", "Headline\nBody text.", "txt", source_path="a.txt")
    assert html.raw_format == "html"


def test_bad_files_are_reported_with_their_reason(tmp_path):
    cases = {
        "empty.txt": b"",
        "blank.txt": b"   \n\n ",
        "binary.txt": b"abc\x00\x01\x02",
        "latin1.txt": "caf\xe9".encode("latin-1"),
        "big.txt": b"x" * 2000,
    }
    reasons = {}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        [problem] = read(tmp_path / name)
        assert isinstance(problem, SourceProblem)
        reasons[name] = problem.reason
    assert reasons["empty.txt"] == "empty file"
    assert "whitespace" in reasons["blank.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert "limit" in reasons["big.txt"]


def test_json_lines_bad_lines_are_skipped_good_ones_kept(tmp_path):
    lines = [
        json.dumps(
            {"title": "One", "body": "First.", "url": "https://ex.com/1", "published": "2024-01-02"}
        ),
        "{not json",
        json.dumps({"title": "No body"}),
        json.dumps({"html": "<p>Two</p>", "published": "yesterday"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"html": "<p>Three</p>"}),
        json.dumps({"body": "Four", "url": "javascript:alert(1)"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    items = read(tmp_path / "feed.jsonl", max_bytes=10**6)
    documents = [i for i in items if isinstance(i, SourceDocument)]
    problems = {p.name: p.reason for p in items if isinstance(p, SourceProblem)}
    assert [d.title for d in documents] == ["One", ""]
    assert documents[0].published == datetime.date(2024, 1, 2)
    assert documents[0].source_url == "https://ex.com/1" and documents[0].source_path == ""
    assert documents[1].source_path == "feed.jsonl:7"
    assert set(problems) == {
        "feed.jsonl:2",
        "feed.jsonl:3",
        "feed.jsonl:4",
        "feed.jsonl:5",
        "feed.jsonl:8",
    }
    assert "http(s)" in problems["feed.jsonl:8"]
    assert "invalid JSON" in problems["feed.jsonl:2"]
    assert "not a date" in problems["feed.jsonl:4"]


def test_folders_are_walked_and_unknown_files_reported(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x")
    (tmp_path / "b.jsonl").write_text('{"body": "1"}\n\n{"body": "2"}\n')
    (tmp_path / "notes.pdf").write_text("x")
    found = list(find_input_files([tmp_path, tmp_path / "notes.pdf", tmp_path / "nope"]))
    paths = [f for f in found if not isinstance(f, SourceProblem)]
    problems = [f.reason for f in found if isinstance(f, SourceProblem)]
    assert [p.name for p in paths] == ["b.jsonl", "a.txt"]
    assert problems == ["unsupported file type '.pdf'", "no such file or folder"]
    assert count_documents(paths) == 3
