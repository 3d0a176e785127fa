"""Read OFD files (GB/T 33190, China's fixed-layout format) with ofdkit, page by page like a PDF."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..models import DocMeta, RawDocument

__all__ = ["read_ofd"]


def read_ofd(file: Path, data: bytes) -> RawDocument:
    """Read the text of every OFD page in reading order; raise InputError when there is none."""
    import ofdkit

    try:
        with ofdkit.open(data) as document:
            pages = [_page_text(file, page) for page in document.pages]
            title = (document.info.title or "").strip() if getattr(document, "info", None) else ""
    except ofdkit.OFDError as exc:
        raise InputError(file, f"not a readable OFD file ({exc})".replace("\n", " ")) from None
    if not any(page.strip() for page in pages):
        raise InputError(file, "no text in the OFD file (scanned pages?)")
    text, page_starts = _join_pages(pages)
    meta = DocMeta(path=str(file), kind="ofd", pages=len(pages))
    return RawDocument(meta=meta, text=text, page_starts=page_starts, header=(("标题", title),) if len(title) >= 4 else ())


def _page_text(file: Path, page) -> str:
    """Return one page's text, its lines as ofdkit lays them out."""
    import ofdkit

    try:
        return page.text().replace("\r\n", "\n").rstrip("\n")
    except ofdkit.OFDError as exc:
        raise InputError(file, f"not a readable OFD file (page {page.index + 1}: {exc})".replace("\n", " ")) from None


def _join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """Join pages as the PDF reader does (a form feed ends each page); return text and each page's first line."""
    starts, line = [], 1
    for page in pages:
        starts.append(line)
        line += page.count("\n") + 1
    return "\f\n".join(pages), tuple(starts)
