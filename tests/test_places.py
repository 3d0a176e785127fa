"""Places a person can find: every place in diff output is found again in its file."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, WEB_TEXT

GENERATED = ROOT / "fixtures" / "generated"
PDF, PDF_EDITED = GENERATED / "changning_2024_report.pdf", GENERATED / "changning_2024_report_edited.pdf"
PORTAL = GENERATED / "changning_2024_report_portal.html"
EDITS = (("7009件", "7090件"), ("完成全市首单长三角区域不动产登记“跨省通办”业务。", ""))


def diff_json(cli, old: Path, new: Path) -> dict:
    """Run `comparer diff --format json` and return the parsed output."""
    done = cli("diff", old, new, "--format", "json")
    assert done.returncode == 1, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def pdf_pair() -> dict:
    """Return the diff JSON of the real PDF and its edited copy (one CLI run for the module)."""
    from conftest import run_cli

    return diff_json(run_cli, PDF, PDF_EDITED)


def pdf_page_lines(path: Path, page: int) -> list[str]:
    """Return the lines of one page of a PDF's text layer, read directly with pypdfium2."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        text = pdf[page - 1].get_textpage().get_text_range()
    finally:
        pdf.close()
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def first_line(text: str) -> str:
    """Return the first non-empty line of a text."""
    return next(line for line in text.split("\n") if line.strip())


def edited_portal(tmp_path: Path) -> Path:
    """Write the portal page with the planted edits applied to its source."""
    source = PORTAL.read_text("utf-8")
    for old, new in EDITS:
        escaped = html.escape(old, quote=False)
        key = old if old in source else escaped
        assert source.count(key) == 1, old
        source = source.replace(key, new)
    page = tmp_path / "portal_edited.html"
    page.write_text(source, "utf-8")
    return page


def test_pdf_places_are_page_and_line_within_the_page_of_the_text_layer(pdf_pair):
    data = pdf_pair
    assert len(data["drifts"]) == 2
    for drift in data["drifts"]:
        for side, path in (("old", PDF), ("new", PDF_EDITED)):
            original = drift[f"{side}_original"]
            if not original:
                continue
            page, line = drift[f"{side}_page"], drift[f"{side}_page_line"]
            assert line < drift[f"{side}_line"] or page == 1  # a line of the page, not of the whole text
            assert first_line(original) in pdf_page_lines(path, page)[line - 1]


def test_html_places_are_lines_of_the_page_source(cli, tmp_path):
    page = edited_portal(tmp_path)
    data = diff_json(cli, PDF, page)
    source = page.read_text("utf-8").split("\n")
    found = [d for d in data["drifts"] if d["new_original"]]
    assert found, data["drifts"]
    for drift in found:
        line = html.unescape(source[drift["new_source_line"] - 1])
        assert drift["new_original"] in line
    figure = next(d for d in data["drifts"] if d["kind"] == "figure")
    assert figure["new_source_line"] > 30  # below the page's head, nav and sidebar, where the article is


def test_originals_are_the_files_characters_not_the_normalised_ones(cli, pdf_pair):
    data = pdf_pair
    removed = next(d for d in data["drifts"] if d["kind"] == "removed")
    assert '"跨省通办"' in removed["old_text"]  # normalised quotes
    assert "“跨省通办”" in removed["old_original"]  # as printed in the PDF
    assert removed["new_original"] == ""
    text = cli("text", PDF, "--format", "json")
    lines = {row["line"]: row["text"] for row in json.loads(text.stdout)["lines"]}
    start, end = removed["old_span"]
    joined = "\n".join(lines[n] for n in sorted(lines))
    assert joined[start:end] == removed["old_original"]


def test_text_command_prints_the_numbers_the_diff_uses(cli, pdf_pair):
    figure = next(d for d in pdf_pair["drifts"] if d["kind"] == "figure")
    done = cli("text", PDF_EDITED)
    assert done.returncode == 0, done.stderr
    label = f"p.{figure['new_page']} L{figure['new_page_line']}"
    row = next(line for line in done.stdout.splitlines() if re.match(rf"\s*{figure['new_line']}\s+{re.escape(label)}\s", line))
    assert figure["new_original"] in row


@pytest.mark.parametrize("path", [PORTAL, WEB_TEXT])
def test_text_command_labels_html_by_source_line_and_text_by_line(cli, path):
    done = cli("text", path)
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    if path.suffix == ".html":
        source = path.read_text("utf-8").split("\n")
        for row in rows:
            number, label, text = re.match(r"\s*(\d+)\s+src L(\d+)\s+(.*)", row).groups()
            assert first_chars(text) in html.unescape(source[int(label) - 1]).replace("\xa0", " ")
    else:
        assert all(re.match(r"\s*(\d+)\s+L\1\s", row) for row in rows)


def first_chars(text: str) -> str:
    """Return the first few characters of a line (a paragraph may run on in the source)."""
    return text.strip()[:8]
