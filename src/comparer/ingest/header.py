"""Portal metadata headers (title, • 发文机构:, • 发布日期:) at the top of a web copy's text."""
from __future__ import annotations

import re

__all__ = ["split_web_header", "HEADER_FIELD"]

HEADER_FIELD = re.compile(r"^\s*[•·●▪\-*]?\s*(发文机构|发布机构|发布日期|成文日期|发文日期|索引号|主题分类|文号|发文字号|来源)\s*[:：]\s*(.*)$")


def split_web_header(text: str) -> tuple[str, dict]:
    """Blank out a portal header (title + • 发文机构: …) keeping line numbers; return (body, fields)."""
    lines = text.split("\n")
    field_rows = [i for i, line in enumerate(lines[:15]) if HEADER_FIELD.match(line)]
    if not field_rows:
        return text, {}
    last = field_rows[-1]
    header = {}
    for i in field_rows:
        name, value = HEADER_FIELD.match(lines[i]).groups()
        header[name] = value.strip()
    title_lines = [line.strip() for line in lines[: field_rows[0]] if line.strip()]
    if title_lines:
        header["标题"] = "".join(title_lines)
    body = "\n".join([""] * (last + 1) + lines[last + 1 :])
    return body, header
