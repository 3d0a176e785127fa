"""The extracted text of a file with the line (and page, source line) numbers other outputs use."""
from __future__ import annotations


from .models import RawDocument
from .places import Locator
from .record import record

__all__ = ["ExtractedText"]


@record
class ExtractedText:
    """What `comparer text FILE` shows: every line of the extracted text with its place."""

    raw: RawDocument
    KIND = "text"
    SCHEMA = "comparer.text/1"
    exit_code = 0

    def rows(self) -> list[dict]:
        """Return one row per line: line, page, line in page, source line, label, text."""
        locator, raw = Locator(self.raw), self.raw
        out = []
        for number, text in enumerate(self.raw.text.split("\n"), start=1):
            source = raw.source_line_at(locator.starts[number - 1]) if raw.source_lines else None
            out.append({"line": number, "page": raw.page_of(number), "page_line": raw.page_line(number),
                        "source_line": source, "label": locator.label(number), "text": text.replace("\f", "")})
        return out

    def to_dict(self) -> dict:
        """Return the comparer.text/1 JSON form."""
        return {"schema": self.SCHEMA, "meta": self.raw.meta.to_dict(), "lines": self.rows()}
