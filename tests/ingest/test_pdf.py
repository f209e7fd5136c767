"""PDF import: text and furniture, metadata, OCR of scans, limits and broken files."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

from search.ingest import importing, page_furniture
from search.ingest.pdf import PdfLimits, metadata_date, metadata_title, read_pdf
from search.ingest.sources import SourceDocument, SourceProblem, read_documents
from search.models import Article
from tests.pdf_factory import scan_of, text_pdf
from tests.tooling import skip_or_fail

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pdf"
HEADER = "Ministry of Platypus Affairs | Press release"
PARAGRAPHS = [
    [
        "Platypus talks open in Delhi",
        "The platypus minister met officials in Delhi on Tuesday for talks on maritime",
        "security, trade and the protection of rivers in both countries.",
    ],
    [
        "Officials said the talks would continue next month in Canberra, where both",
        "delegations expect to sign an agreement on river protection and research.",
    ],
    [
        "A joint statement will be published after the meeting in Canberra, the",
        "ministry said, and journalists are invited to attend the signing ceremony.",
    ],
]


def press_release(**info: str) -> bytes:
    pages = [
        [HEADER, *lines, "", f"Page {number} of {len(PARAGRAPHS)}"]
        for number, lines in enumerate(PARAGRAPHS, start=1)
    ]
    return text_pdf(pages, **info)


def documents(path: Path, **limits) -> list[SourceDocument | SourceProblem]:
    return list(
        read_documents(
            path, display_path=path.name, max_bytes=1 << 20, pdf_limits=PdfLimits(**limits)
        )
    )


def test_running_headers_and_page_numbers_are_furniture():
    raw = read_pdf(press_release(), limits=PdfLimits()).text
    text, removed = page_furniture.strip_furniture(raw)
    assert HEADER not in text and "Page 2 of 3" not in text
    assert [block.reason for block in removed] == ["running-header", "page-number"] * 3
    assert text.splitlines()[0] == "Platypus talks open in Delhi"


def test_a_number_inside_a_page_and_a_line_on_one_page_stay():
    first = "Title\nIntro\nFigures\nTable\n42\nMore text\nEnd\nNote\nFooter one"
    raw = f"{first}\n\f\nOther\nText\nBody\n7\nLast"
    text, removed = page_furniture.strip_furniture(raw)
    assert "42" in text.splitlines() and "Footer one" in text.splitlines()
    assert [(block.text, block.reason) for block in removed] == [("7", "page-number")]


@pytest.mark.django_db
def test_a_text_pdf_imports_clean_with_its_metadata(tmp_path, settings):
    source = tmp_path / "release.pdf"
    source.write_bytes(press_release(Title="Platypus talks", CreationDate="D:20240305120000Z"))
    report = importing.import_paths([source])
    assert (report.imported, report.failed) == (1, [])
    article = Article.objects.get()
    assert article.title == "Platypus talks"
    assert article.published == datetime.date(2024, 3, 5)
    assert article.raw_format == "pdf" and HEADER in article.raw  # kept for re-cleaning
    assert HEADER not in article.body and "Page 1 of 3" not in article.body
    words = " ".join(article.body.split())  # however its hard-wrapped lines are joined
    assert "maritime security" in words and "the signing ceremony." in words
    reasons = {block["reason"] for block in article.removed}
    assert {"running-header", "page-number"} <= reasons
    kept = settings.DATA_DIR / "originals" / f"{article.original_sha256}.pdf"
    assert kept.read_bytes() == source.read_bytes()


@pytest.mark.django_db
def test_without_metadata_the_title_and_date_come_from_the_first_page(tmp_path):
    source = tmp_path / "crazy.pdf"
    shutil.copy(FIXTURES / "crazyones-pdfa.pdf", source)
    assert importing.import_paths([source]).imported == 1
    article = Article.objects.get()
    assert article.title == "The Crazy Ones"
    assert article.published is not None


def test_metadata_titles_that_name_files_are_not_titles():
    assert metadata_title("Microsoft Word - doc1.docx") == ""
    assert metadata_title("untitled") == ""
    assert metadata_title("imagemagick-images\0") == ""
    assert metadata_title("  ") == ""
    assert metadata_title("Geometrie und Topologie") == "Geometrie und Topologie"
    assert metadata_date("D:20161231184323+01'00'") == datetime.date(2016, 12, 31)
    assert metadata_date("D:1899") is None and metadata_date("garbage") is None


def test_a_scanned_pdf_is_read_by_ocr(tmp_path):
    if not shutil.which("tesseract"):
        skip_or_fail("tesseract is not installed (apt-get install tesseract-ocr)")
    page = ["Platypus minister visits Delhi", "The minister met officials on Tuesday."]
    source = tmp_path / "scan.pdf"
    source.write_bytes(scan_of(text_pdf([page])))
    [document] = documents(source)
    assert isinstance(document, SourceDocument), document
    assert "Platypus minister visits Delhi" in document.raw
    assert "met officials" in document.raw


def test_a_scan_without_tesseract_needs_ocr(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    source = tmp_path / "scan.pdf"
    source.write_bytes(scan_of(text_pdf([["Some words on a page"]]), scale=1))
    [problem] = documents(source)
    assert isinstance(problem, SourceProblem) and "needs OCR" in problem.reason


def test_limits_on_pages_and_time(tmp_path):
    source = tmp_path / "long.pdf"
    source.write_bytes(press_release())
    [problem] = documents(source, max_pages=2)
    assert "has 3 pages, over the limit of 2" in problem.reason
    [problem] = documents(source, seconds=0)
    assert "took longer than 0 seconds" in problem.reason


@pytest.mark.django_db
def test_broken_pdfs_are_reported_while_the_rest_imports(tmp_path):
    good = press_release()
    (tmp_path / "good.pdf").write_bytes(good)
    (tmp_path / "truncated.pdf").write_bytes(good[: len(good) // 3])
    (tmp_path / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    shutil.copy(FIXTURES / "encrypted.pdf", tmp_path / "encrypted.pdf")
    report = importing.import_paths([tmp_path])
    assert report.imported == 1
    reasons = {Path(problem.name).name: problem.reason for problem in report.failed}
    assert reasons["encrypted.pdf"].startswith("encrypted PDF")
    assert set(reasons) == {"encrypted.pdf", "truncated.pdf", "garbage.pdf"}


def test_truncated_and_garbled_pdfs_never_raise(tmp_path):
    good = press_release()
    cases = [good[:cut] for cut in range(0, len(good), max(len(good) // 40, 1))]
    cases += [good[:200] + bytes([byte]) * 300 + good[500:] for byte in (0, 0x28, 0xFF)]
    source = tmp_path / "fuzz.pdf"
    for data in cases:
        source.write_bytes(data)
        for item in documents(source):  # a document or a problem, never an exception
            assert isinstance(item, SourceDocument | SourceProblem)
