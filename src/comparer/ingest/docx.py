"""Read Word .docx files with python-docx: paragraphs and table rows in document order, one per line."""
from __future__ import annotations

import io
import re
from pathlib import Path

from ..errors import InputError
from ..models import DocMeta, RawDocument

__all__ = ["read_docx"]

_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def read_docx(file: Path, data: bytes) -> RawDocument:
    """Read a .docx body (paragraphs, then each table row as one line) into a RawDocument."""
    document = _open(file, data)
    lines = [line for block in document.iter_inner_content() for line in _block_lines(block)]
    if not any(line.strip() for line in lines):
        raise InputError(file, "no text in the Word document")
    title = (document.core_properties.title or "").strip()
    meta = DocMeta(path=str(file), kind="docx")
    return RawDocument(meta=meta, text="\n".join(lines), header=(("标题", title),) if len(title) >= 4 else ())


def _open(file: Path, data: bytes):
    """Open the package with python-docx, turning any failure into a one-line InputError."""
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile, lxml and python-docx each raise their own types for a broken package
        raise InputError(file, f"not a readable Word .docx file ({type(exc).__name__})") from None


def _block_lines(block) -> list[str]:
    """Return a paragraph as one line, a table as one line per row (cells separated by a space)."""
    if hasattr(block, "rows"):
        return [_squash(" ".join(_cell_text(cell) for cell in _unique_cells(row))) for row in block.rows]
    return [block.text.replace("\v", "\n")]


def _unique_cells(row) -> list:
    """Return a row's cells once each (merged cells repeat the same cell object)."""
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _cell_text(cell) -> str:
    """Return the text of a table cell on one line."""
    return " ".join(paragraph.text for paragraph in cell.paragraphs)


def _squash(text: str) -> str:
    """Collapse runs of spaces and trim."""
    return _SPACES.sub(" ", text).strip()
