"""Small PDFs written by hand for the tests: pages of text lines, or pages that are only an
image (a scan). Enough of the format for PDFium to read, nothing more."""

from __future__ import annotations

import zlib

PAGE_WIDTH, PAGE_HEIGHT = 612, 792


def escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def stream(body: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(body)} {extra}>>\nstream\n".encode() + body + b"\nendstream"


def assemble(objects: list[bytes], *, info: dict[str, str]) -> bytes:
    """Objects numbered from 1 (1: the catalog); an Info dictionary is added last."""
    info_entries = " ".join(f"/{key} ({escaped(value)})" for key, value in info.items())
    objects = [*objects, f"<< {info_entries} >>".encode()]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def text_pdf(pages: list[list[str]], **info: str) -> bytes:
    """One page per list of lines, in Helvetica 11 pt from the top of the page."""
    first_page = 4
    kids = " ".join(f"{first_page + 2 * index} 0 R" for index in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for index, lines in enumerate(pages):
        shown = "".join(
            f"BT /F1 11 Tf 60 {PAGE_HEIGHT - 60 - 15 * row} Td ({escaped(line)}) Tj ET\n"
            for row, line in enumerate(lines)
        )
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {first_page + 2 * index + 1} 0 R >>".encode()
        )
        objects.append(stream(shown.encode("latin-1")))
    return assemble(objects, info=info)


def scanned_pdf(pixels: bytes, width: int, height: int, **info: str) -> bytes:
    """One page that is only a grey image of ``width`` x ``height`` pixels: no text layer."""
    drawing = f"q {PAGE_WIDTH} 0 0 {PAGE_HEIGHT} 0 0 cm /Scan Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
        "/Resources << /XObject << /Scan 5 0 R >> >> /Contents 4 0 R >>".encode(),
        stream(drawing),
        stream(
            zlib.compress(pixels),
            f"/Type /XObject /Subtype /Image /Width {width} /Height {height} "
            "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode ",
        ),
    ]
    return assemble(objects, info=info)


def scan_of(pdf: bytes, *, scale: float = 3.0) -> bytes:
    """A text PDF's first page as a scan: rendered in grey, kept only as an image."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    bitmap = document[0].render(scale=scale, grayscale=True)
    pixels = bitmap.to_numpy()
    height, width = pixels.shape[0], pixels.shape[1]
    return scanned_pdf(pixels.reshape(height, width).tobytes(), width, height)
