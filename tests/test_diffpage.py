"""The diff page (--format html) and the Markdown report (--format md)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, chromium_or_skip

GENERATED = ROOT / "fixtures" / "generated"
PDF, PDF_EDITED = GENERATED / "changning_2024_report.pdf", GENERATED / "changning_2024_report_edited.pdf"
DEL, INS, CHANGED_ROW = (0xFF, 0xD7, 0xD5), (0xCC, 0xFF, 0xD8), (0xFF, 0xFB, 0xE6)  # colours of diffpage's CSS


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """Write the diff page of the real PDF vs the edited PDF."""
    from conftest import run_cli

    out = tmp_path_factory.mktemp("page") / "diff.html"
    done = run_cli("diff", PDF, PDF_EDITED, "--format", "html", "--output", out)
    assert done.returncode == 1, done.stderr
    return out


def test_page_is_self_contained_and_names_files_kinds_and_counts(page):
    text = page.read_text("utf-8")
    assert "<script src" not in text and "<link" not in text and "http://" not in text and "https://" not in text
    assert "fixtures/generated/changning_2024_report.pdf" in text and "changning_2024_report_edited.pdf" in text
    assert re.search(r"<b>2 changes</b>.*1 removed.*1 figure", text)
    figures = text[text.index("id=figures"):text.index("id=changes")]
    assert "<del class=figure>7009</del> → <ins class=figure>7090</ins>" in figures
    assert "@media print" in text


def test_every_change_links_to_its_place_in_the_text(page):
    text = page.read_text("utf-8")
    links = set(re.findall(r"href='#(d\d+)'", text))
    anchors = set(re.findall(r"\bid=(d\d+)\b", text))
    assert links == anchors == {"d1", "d2"}
    document = text[text.index("<main id=doc>"):]
    assert re.search(r"<del class=figure id=d2[^>]*>7009</del>", document)  # highlighted in the old text, in place
    assert re.search(r"<ins class=figure[^>]*>7090</ins>", document)
    assert re.search(r"<del class=removed[^>]*>完成全市首单</del>", document)  # the file's own line, as printed
    assert "<h2>一、主要举措和成效</h2>" in document  # sections as headings
    assert document.count("class='cell inl'") == 2  # the inline view of each changed row


def test_report_text_is_escaped_in_html_and_markdown(cli, tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    evil = "<img src=x onerror=alert(1)> **粗体** [链接](javascript:alert(1)) | 管道"
    old.write_text("标题\n受理纠纷7009件。\n", "utf-8")
    new.write_text(f"标题\n受理纠纷7009件。{evil}\n", "utf-8")
    for fmt in ("html", "md"):
        done = cli("diff", old, new, "--format", fmt)
        assert done.returncode == 1, done.stderr
        assert "<img" not in done.stdout and "&lt;img src=x onerror=alert(1)" in done.stdout
    markdown = cli("diff", old, new, "--format", "md").stdout
    assert r"\*\*粗体\*\*" in markdown and r"\[链接\](javascript" in markdown


def test_markdown_has_one_block_per_change_with_places_and_word_diff(cli):
    done = cli("diff", PDF, PDF_EDITED, "--format", "md")
    blocks = re.findall(r"^## (\d+)\. (\w+) — (.+)$", done.stdout, re.M)
    assert [(n, kind) for n, kind, _ in blocks] == [("1", "removed"), ("2", "figure")]
    assert "- places: old p.3 L18 · new p.3 L17" in done.stdout
    assert r"- change: \[-7009-\]{+7090+}" in done.stdout
    assert "<del>7009</del><ins>7090</ins>" in done.stdout
    assert "|" not in done.stdout.split("## 1.")[1]  # blocks, not a table of 14 columns


def screenshot(page: Path, width: int, tmp: Path):
    """Return the pixels (height x width x RGB) of a headless Chromium screenshot of the page at a window width."""
    import numpy as np
    from PIL import Image

    out = tmp / f"shot{width}.png"
    command = [chromium_or_skip(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               f"--user-data-dir={tmp / 'profile'}", f"--window-size={width},6000", f"--screenshot={out}", page.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and out.exists(), done.stderr[-2000:]
    return np.asarray(Image.open(out).convert("RGB"))


def has(pixels, colour) -> "np.ndarray":
    """Return, per pixel row, whether the colour occurs in it."""
    return (pixels == colour).all(axis=-1).any(axis=-1)


def test_changes_are_highlighted_in_place_side_by_side_at_1400_px(page, tmp_path):
    pixels = screenshot(page, 1400, tmp_path)
    left, right = pixels[:, :700], pixels[:, 700:]
    changed = has(pixels, CHANGED_ROW)  # rows of the page that cross a changed row of the texts
    side_by_side = changed & has(left, DEL) & has(right, INS)
    assert side_by_side.any(), "no line shows 7009 struck on the left and 7090 inserted on the right"
    assert not (side_by_side & has(left, INS)).any()


def test_changes_are_highlighted_in_place_inline_at_800_px(page, tmp_path):
    pixels = screenshot(page, 800, tmp_path)
    changed = has(pixels, CHANGED_ROW)
    assert (changed & has(pixels, DEL) & has(pixels, INS)).any(), "no changed row shows the old and new words together"
    assert (changed & has(pixels[:, 600:], CHANGED_ROW)).any()  # one column: a changed row spans the page
