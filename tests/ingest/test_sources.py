"""Reading input files: every bad file is reported with a reason, the rest goes on."""

import datetime
import json
import os
import threading
from pathlib import Path

from search.ingest.sources import (
    NOT_REGULAR,
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
    (tmp_path / "notes.doc").write_text("x")
    found = list(find_input_files([tmp_path, tmp_path / "notes.doc", tmp_path / "nope"]))
    paths = [f for f in found if not isinstance(f, SourceProblem)]
    problems = [f.reason for f in found if isinstance(f, SourceProblem)]
    assert [p.name for p in paths] == ["b.jsonl", "a.txt"]
    assert problems == ["unsupported file type '.doc'", "no such file or folder"]
    assert count_documents(paths) == 3


def jsonl_problems(path, max_bytes):
    items = list(read_documents(path, display_path=path.name, max_bytes=max_bytes))
    documents = [item.title for item in items if isinstance(item, SourceDocument)]
    return documents, {p.name: p.reason for p in items if isinstance(p, SourceProblem)}


def test_json_lines_the_size_limit_applies_to_each_record_not_the_file(tmp_path):
    record = json.dumps({"title": "Small", "body": "A short story."})
    big = json.dumps({"title": "Big", "body": "word " * 400})
    lines = [record] * 30 + [big, record]  # the file is far over the limit, each small one under
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    documents, problems = jsonl_problems(tmp_path / "feed.jsonl", max_bytes=300)
    assert documents == ["Small"] * 31
    assert len(big) == 2028
    assert problems == {"feed.jsonl:31": "line is 2,028 bytes, over the 300-byte import limit"}


def test_hostile_json_lines_are_each_an_error_and_the_file_goes_on(tmp_path):
    lines = [
        "[" * 100_000 + "]" * 100_000,  # nested 100,000 deep
        '{"body": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}",
        '{"body": "x", "title": ' + "9" * 5000 + "}",  # more digits than Python converts
        json.dumps({"body": ["not", "text"]}),
        json.dumps({"body": "x", "title": {"a": 1}}),
        json.dumps("just a string"),
        json.dumps({"title": "Kept", "body": "The story after the hostile lines."}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    documents, problems = jsonl_problems(tmp_path / "feed.jsonl", max_bytes=10**6)
    assert documents == ["Kept"]
    assert problems == {
        "feed.jsonl:1": "invalid JSON (nested too deeply)",
        "feed.jsonl:2": "invalid JSON (nested too deeply)",
        "feed.jsonl:3": problems["feed.jsonl:3"],
        "feed.jsonl:4": 'no text: give "body" (plain text) or "html"',
        "feed.jsonl:5": '"title", "url", "published" and "site" must be strings',
        "feed.jsonl:6": "a JSON line must be an object with body or html",
    }
    assert problems["feed.jsonl:3"].startswith("invalid JSON (Exceeds the limit")


def test_a_line_longer_than_the_limit_is_never_held_whole(tmp_path):
    """A 30 MB line under a 1 KB limit: reported with its length, in chunks of 1 MB."""
    path = tmp_path / "feed.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write('{"body": "' + "x" * 30_000_000 + '"}\n')
        out.write(json.dumps({"title": "After", "body": "text"}) + "\n")
    documents, problems = jsonl_problems(path, max_bytes=1024)
    assert documents == ["After"]
    assert problems == {
        "feed.jsonl:1": "line is 30,000,012 bytes, over the 1,024-byte import limit"
    }
    assert count_documents([path]) == 2


def test_links_out_of_the_folder_are_not_read_and_links_inside_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0 the password file")
    folder = tmp_path / "import"
    (folder / "sub").mkdir(parents=True)
    (folder / "story.txt").write_text("A story.")
    (folder / "shadow.txt").symlink_to(outside / "secret.txt")
    (folder / "also-story.txt").symlink_to(folder / "story.txt")
    (folder / "sub" / "linked-folder").symlink_to(outside, target_is_directory=True)
    found = list(find_input_files([folder]))
    assert [f.name for f in found if not isinstance(f, SourceProblem)] == ["story.txt"]
    assert {Path(p.name).name: p.reason for p in found if isinstance(p, SourceProblem)} == {
        "also-story.txt": "symbolic link: not followed (what it points to in the folder is "
        "imported itself)",
        "shadow.txt": "symbolic link to outside the import folder: not read",
        "linked-folder": "symbolic link to outside the import folder: not read",
    }


def test_a_fifo_is_reported_not_read(tmp_path):
    """A FIFO with no writer would block a plain open() forever; it is never opened."""
    (tmp_path / "story.txt").write_text("A story.")
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "feed.jsonl")
    outcome = run_with_deadline(lambda: list(find_input_files([tmp_path])), seconds=10)
    assert [f.name for f in outcome if not isinstance(f, SourceProblem)] == ["story.txt"]
    assert sorted(
        (Path(p.name).name, p.reason) for p in outcome if isinstance(p, SourceProblem)
    ) == [
        ("feed.jsonl", NOT_REGULAR),
        ("pipe.txt", NOT_REGULAR),
    ]
    # Named directly, or swapped in after the folder was listed: still not read.
    assert run_with_deadline(lambda: list(find_input_files([tmp_path / "pipe.txt"])), 10) == [
        SourceProblem(str(tmp_path / "pipe.txt"), NOT_REGULAR)
    ]
    outcome = run_with_deadline(lambda: read(tmp_path / "feed.jsonl"), seconds=10)
    assert outcome == [SourceProblem("feed.jsonl", NOT_REGULAR)]
    assert run_with_deadline(lambda: count_documents([tmp_path / "feed.jsonl"]), 10) == 1


def test_a_device_file_is_not_read():
    assert list(find_input_files([Path("/dev/zero")])) == [SourceProblem("/dev/zero", NOT_REGULAR)]


def run_with_deadline(function, seconds):
    """Run ``function`` in a thread; fail (instead of hanging the suite) if it blocks."""
    results, errors = [], []

    def run():
        try:
            results.append(function())
        except Exception as error:
            errors.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still blocked after {seconds} s"
    if errors:
        raise errors[0]
    return results[0]
