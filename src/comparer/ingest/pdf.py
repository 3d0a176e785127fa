"""Extract the text layer of a PDF page by page, keeping page boundaries."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..models import DocMeta, Notice, RawDocument

__all__ = ["read_pdf", "extract_pages", "pdf_title"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_JUNK_TITLE = re.compile(
    r"^(untitled|无标题|anonymous|microsoft\s+(word|powerpoint|excel)\b.*|.*\.(docx?|wps|pdf|xlsx?|pptx?|txt|ofd))$",
    re.IGNORECASE,
)


def read_pdf(file: Path, data: bytes) -> RawDocument:
    """Read a PDF's text layer into a RawDocument; raise InputError when it has none."""
    _check_complete(file, data)
    pdf = _open(file, data)
    try:
        pages = extract_pages(file, pdf)
        title = pdf_title(pdf)
        blind = _pages_without_text(pdf, pages)
    finally:
        pdf.close()
    if not any(page.strip() for page in pages):
        raise InputError(file, "no text layer (scanned PDF?)")
    text, page_starts = _join_pages(pages)
    meta = DocMeta(path=str(file), kind="pdf", pages=len(pages))
    notices = tuple(Notice(str(file), f"page {number} has no text layer (an image? its text is not read)") for number in blind)
    return RawDocument(meta=meta, text=text, page_starts=page_starts, header=(("标题", title),) if title else (), notices=notices)


def _pages_without_text(pdf, pages: list[str]) -> list[int]:
    """Return the 1-based numbers of pages that show something (an image, drawings) but hold no text."""
    import pypdfium2.raw as pdfium_c

    blind = []
    for index, text in enumerate(pages):
        if text.strip():
            continue
        page = pdf[index]
        if pdfium_c.FPDFPage_CountObjects(page.raw) > 0:  # a truly blank page loses nothing
            blind.append(index + 1)
        page.close()
    return blind


def _check_complete(file: Path, data: bytes) -> None:
    """Reject a PDF whose end-of-file marker is missing (cut off in transfer)."""
    if b"%PDF" not in data[:1024]:
        raise InputError(file, "not a readable PDF (no %PDF header)")
    if b"%%EOF" not in data[-4096:]:
        raise InputError(file, "not a readable PDF (truncated: no %%EOF marker at the end)")


def _open(file: Path, data: bytes):
    """Open the PDF with PDFium, turning load failures into one-line InputErrors."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data, password=None)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise InputError(file, "encrypted PDF (password required), cannot extract text") from None
        raise InputError(file, f"not a readable PDF ({_reason(exc)})") from None
    if len(pdf) == 0:
        pdf.close()
        raise InputError(file, "not a readable PDF (no pages)")
    return pdf


def _reason(exc: Exception) -> str:
    """Return PDFium's own short reason for a failure."""
    found = re.search(r"PDFium: ([^)]+)", str(exc))
    return found.group(1) if found else str(exc) or type(exc).__name__


def extract_pages(file: Path, pdf) -> list[str]:
    """Return the text of every page, line breaks as "\\n", no trailing newline."""
    import pypdfium2 as pdfium

    pages = []
    for index in range(len(pdf)):
        try:
            page = pdf[index]
            textpage = page.get_textpage()
            raw = textpage.get_text_range()
            textpage.close()
            page.close()
        except pdfium.PdfiumError as exc:
            raise InputError(file, f"not a readable PDF (page {index + 1}: {_reason(exc)})") from None
        pages.append(_clean(raw))
    return pages


def _clean(raw: str) -> str:
    """Normalise PDFium line breaks and drop control characters."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).rstrip("\n")


def _join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """Join pages (a form feed ends each page's last line); return the text and each page's first line."""
    starts, line = [], 1
    for page in pages:
        starts.append(line)
        line += page.count("\n") + 1
    return "\f\n".join(pages), tuple(starts)  # \f marks a page break for normalize


def pdf_title(pdf) -> str | None:
    """Return the document-info title if it is a real title, not a file name or placeholder."""
    try:
        title = (pdf.get_metadata_dict(skip_empty=True).get("Title") or "").strip()
    except Exception:  # broken info dictionary: metadata is optional
        return None
    title = re.sub(r"\s+", " ", _CONTROL.sub("", title))
    if len(title) < 4 or _JUNK_TITLE.match(title):
        return None
    if not re.search(r"[\u4e00-\u9fff]", title) and len(title.split()) < 2:
        return None
    return title
