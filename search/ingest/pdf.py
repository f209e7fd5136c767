"""A PDF file's bytes -> its pages' text, title and date: the one module that knows pypdfium2.

The text layer is read by PDFium (pypdfium2): fast, and it joins words split by soft hyphens
and ligatures, so the archive's words are whole. A page without a text layer (a scan) is
rendered by PDFium and read by the Tesseract OCR program (English), run as a subprocess with
the time left of the file's budget; without Tesseract on PATH, a file with no text at all is
reported as needing OCR. The budget is also checked between pages, so neither a long file nor a
slow OCR holds an import beyond it.

Pure file handling, no Django: every problem becomes a ``PdfProblem`` whose message is the
reason an import reports.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass

import pypdfium2

from search.ingest.sources import SourceDocument, SourceProblem

# Pages are joined by a form feed on a line of its own (as pdftotext separates them), so the
# raw text kept for re-cleaning still knows where a page ends: its furniture is found again.
PAGE_BREAK = "\n\f\n"
OCR_DPI = 300
# A page rendered for OCR is at most this many pixels on its longer side (a poster-sized page
# at 300 dpi would be hundreds of megabytes).
OCR_MAX_PIXELS = 6000
# A page with fewer letters than this in its text layer is taken for a scan.
SCANNED_PAGE_MAX_LETTERS = 3
_TITLE_LIKE_FILE_NAME = re.compile(
    r"(?:microsoft (?:word|excel|powerpoint) - .*|untitled\W*|document\d*|doc\d*"
    r"|.*\.(?:docx?|odt|rtf|txt|tex|dvi|pdf|indd|pages|ps|eps|xlsx?|pptx?|html?))",
    re.IGNORECASE,
)
# Control characters a font's broken map leaves (a stray form feed would be a page break).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?")


@dataclass(frozen=True)
class PdfLimits:
    max_pages: int = 200
    seconds: float = 120.0


@dataclass(frozen=True)
class PdfText:
    text: str  # the pages' text joined by PAGE_BREAK
    title: str  # from the metadata when it is a real title, else ""
    published: datetime.date | None  # from the metadata's creation (else modification) date
    sha256: str  # of the file's bytes: names the kept original
    ocr_pages: int  # pages read by OCR


class PdfProblem(Exception):
    """A PDF that cannot be imported; the message says why."""


def document_from_pdf(
    data: bytes, name: str, *, limits: PdfLimits
) -> SourceDocument | SourceProblem:
    """A PDF file as a source document (raw format "pdf": its pages apart), or why not."""
    try:
        read = read_pdf(data, limits=limits)
    except PdfProblem as error:
        return SourceProblem(name, str(error))
    return SourceDocument(
        name=name,
        raw=read.text,
        raw_format="pdf",
        source_path=name,
        title=read.title,
        published=read.published,
        original_sha256=read.sha256,
    )


def read_pdf(data: bytes, *, limits: PdfLimits, tesseract: str | None = None) -> PdfText:
    """The text of a PDF's pages (OCR for scanned pages when Tesseract is installed)."""
    deadline = time.monotonic() + limits.seconds
    tesseract = tesseract or shutil.which("tesseract")
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise PdfProblem(load_problem(str(error))) from error
    try:
        pages = len(document)
        if pages == 0:
            raise PdfProblem("PDF has no pages")
        if pages > limits.max_pages:
            raise PdfProblem(
                f"PDF has {pages:,} pages, over the limit of {limits.max_pages:,} "
                "(NEWSROOM_PDF_MAX_PAGES)"
            )
        texts, ocr_pages = [], 0
        for number in range(pages):
            check_budget(deadline, limits)
            text = page_text(document, number)
            if count_letters(text) < SCANNED_PAGE_MAX_LETTERS and tesseract:
                text = ocr_page(document, number, tesseract=tesseract, deadline=deadline)
                ocr_pages += 1
                check_budget(deadline, limits)
            texts.append(text)
        metadata = document.get_metadata_dict(skip_empty=True)
    except pypdfium2.PdfiumError as error:
        raise PdfProblem(f"damaged PDF ({error})") from error
    finally:
        document.close()
    if not any(count_letters(text) for text in texts):
        raise PdfProblem(
            "no text in the PDF (scanned pages?): needs OCR; install Tesseract "
            "(apt-get install tesseract-ocr) and import again"
            if not tesseract
            else "no text in the PDF, not even by OCR"
        )
    return PdfText(
        text=PAGE_BREAK.join(texts),
        title=metadata_title(metadata.get("Title", "")),
        published=metadata_date(metadata.get("CreationDate", ""))
        or metadata_date(metadata.get("ModDate", "")),
        sha256=hashlib.sha256(data).hexdigest(),
        ocr_pages=ocr_pages,
    )


def load_problem(message: str) -> str:
    """PDFium's reason for not opening a file, as an import reports it."""
    if "password" in message.lower():
        return "encrypted PDF (it needs a password): save it without one and import again"
    if "format" in message.lower():
        return "damaged or truncated PDF (PDFium cannot read its structure)"
    return f"PDF cannot be opened ({message})"


def check_budget(deadline: float, limits: PdfLimits) -> None:
    if time.monotonic() > deadline:
        raise PdfProblem(
            f"reading the PDF took longer than {limits.seconds:g} seconds "
            "(NEWSROOM_PDF_TIMEOUT_SECONDS)"
        )


def count_letters(text: str) -> int:
    return sum(character.isalpha() for character in text)


def page_text(document: pypdfium2.PdfDocument, number: int) -> str:
    page = document[number]
    try:
        text_page = page.get_textpage()
        try:
            text = text_page.get_text_bounded()
        finally:
            text_page.close()
    finally:
        page.close()
    # PDFium ends lines with CRLF; a stray form feed would be taken for a page break.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub(" ", text)


def ocr_page(
    document: pypdfium2.PdfDocument, number: int, *, tesseract: str, deadline: float
) -> str:
    """The page rendered in grey at 300 dpi, read by Tesseract (English) from its stdin."""
    page = document[number]
    try:
        width, height = page.get_size()  # in points
        scale = min(OCR_DPI / 72, OCR_MAX_PIXELS / max(width, height, 1))
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            pixels = bitmap.to_numpy()
            image = pgm_image(pixels.reshape(pixels.shape[0], pixels.shape[1]))
        finally:
            bitmap.close()
    finally:
        page.close()
    # One thread: Tesseract's own threads slow it down on a shared machine (its docs say so).
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        finished = subprocess.run(
            [tesseract, "stdin", "stdout", "-l", "eng"],
            input=image,
            capture_output=True,
            timeout=max(deadline - time.monotonic(), 0.1),
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise PdfProblem("OCR of a page ran out of the file's time budget") from error
    except OSError as error:
        raise PdfProblem(f"Tesseract could not be run ({error.strerror or error})") from error
    if finished.returncode != 0:
        message = finished.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PdfProblem(f"OCR failed on page {number + 1}: {message[-1] if message else '?'}")
    return finished.stdout.decode("utf-8", "replace").replace("\f", "\n")


def pgm_image(pixels) -> bytes:
    """A binary PGM (grey) image: Tesseract reads it without any image library here."""
    height, width = pixels.shape
    return f"P5 {width} {height} 255\n".encode() + pixels.tobytes()


def metadata_title(title: str) -> str:
    """The metadata's title when it names the document, not a file or a template."""
    title = " ".join(title.replace("\0", " ").split())
    if not title or _TITLE_LIKE_FILE_NAME.fullmatch(title):
        return ""
    if " " not in title and (title.islower() or re.search(r"[-_.\d]", title)):
        return ""  # one word in lower case or with separators: a file name, not a title
    return title


def metadata_date(value: str) -> datetime.date | None:
    """A PDF date ("D:20240103093826+01'00'") as a date, when it is a plausible one."""
    match = _PDF_DATE.match(value.strip())
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        return None
    if not 1980 <= year <= datetime.date.today().year + 1:
        return None
    return date
