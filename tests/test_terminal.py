"""What a terminal shows: width from the terminal, markers when piped, colour switches, data never markup, short paths."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS

GENERATED = ROOT / "fixtures" / "generated"
PDF, PDF_EDITED = GENERATED / "changning_2024_report.pdf", GENERATED / "changning_2024_report_edited.pdf"
ESC = "\x1b["


def width(line: str) -> int:
    """Return the display width of a line (wide CJK characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def assert_tables_whole(text: str, columns: int) -> None:
    """Fail when a line is wider than the terminal or a table row is cut (its borders do not line up)."""
    lines = text.splitlines()
    assert all(width(line) <= columns for line in lines), max(lines, key=width)
    rows = [line for line in lines if line and line[0] in "┏┃┡│└"]
    assert all(line[-1] in "┓┃┩│┘" for line in rows), [line for line in rows if line[-1] not in "┓┃┩│┘"][:3]
    assert len({width(line) for line in rows}) <= 1  # every table of the output as wide as the others


@pytest.fixture(scope="module")
def pdf_diff():
    """Return the diff of the real PDF and its edited copy (in-process, read once)."""
    from comparer import diff_reports, load_report

    return diff_reports(load_report(PDF), load_report(PDF_EDITED))


def render_text(result, columns: int, color: bool = False) -> str:
    """Render a result as the terminal renderer does for a given width."""
    from comparer.report import render

    return render(result, "text", color=color, width=columns)


def test_piped_diff_keeps_markers_and_fits_80_columns(cli):
    done = cli("diff", PDF, PDF_EDITED, env={"COLUMNS": "80"})
    assert done.returncode == 1, done.stderr
    assert_tables_whole(done.stdout, 80)
    assert "[-7009-]{+7090+}" in done.stdout and ESC not in done.stdout  # piped: visible change markers, no colour


@pytest.mark.parametrize("columns", [80, 160])
def test_diff_fits_the_width_at_80_and_160_columns(pdf_diff, columns):
    text = render_text(pdf_diff, columns)
    assert_tables_whole(text, columns)
    assert "[-7009-]" in text and "{+7090+}" in text
    if columns == 160:
        assert max(width(line) for line in text.splitlines()) > 120  # the width is used, not a fixed 120


@pytest.mark.parametrize("columns", [80, 160])
def test_followup_and_repeats_tables_fit_at_80_and_160_columns(columns, monkeypatch):
    monkeypatch.chdir(ROOT)
    from comparer import follow_up, load_report
    from comparer.repeats import find_repeats

    follow = follow_up(load_report(SEEDS / "changning_qufuban_2022_fazhi_report_pdftext.txt"), [load_report(SEEDS / "changning_2024_fazhi_report_webtext.txt")])
    assert_tables_whole(render_text(follow, columns), columns)
    corpus = (ROOT / "fixtures" / "corpus").resolve()
    repeats = find_repeats([load_report(corpus / f"shenzhen-luohu_{year}_gongzuobaogao.txt") for year in (2023, 2024)])
    text = render_text(repeats, columns)
    assert repeats.exit_code == 1
    assert_tables_whole(text, columns)
    assert str(ROOT) not in text and "fixtures/" in text  # shown relative to the working folder (tests run from ROOT)


def test_force_color_colours_and_no_color_wins(pdf_diff, monkeypatch):
    from comparer.report.terminal import color_wanted

    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert color_wanted(sys.stdout)
    coloured = render_text(pdf_diff, 160, color=True)
    assert ESC in coloured and "[-7009-]" not in coloured and "7009" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    assert not color_wanted(sys.stdout)


def test_report_text_is_never_markup_or_emoji(cli, tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("标题\n受理纠纷7009件。\n", "utf-8")
    new.write_text("标题\n受理纠纷7009件。root:x:0:0 [bold red]注意[/] :smile:\n", "utf-8")
    done = cli("diff", old.resolve(), new.resolve(), env={"COLUMNS": "80", "FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "root:x:0:0" in done.stdout and "[bold red]注意[/]" in done.stdout and ":smile:" in done.stdout
    assert "❌" not in done.stdout and "😄" not in done.stdout


def test_absolute_paths_in_the_working_folder_are_shown_relative(pdf_diff, monkeypatch):
    from dataclasses import replace

    monkeypatch.chdir(ROOT)
    moved = replace(pdf_diff, old=replace(pdf_diff.old, raw=replace(pdf_diff.old.raw, meta=replace(pdf_diff.old.meta, path=str(PDF.resolve())))))
    text = render_text(moved, 160)
    assert "old: fixtures/generated/changning_2024_report.pdf" in text and str(ROOT) not in text


def tmux_capture(columns: int, command: list[str], tmp: Path) -> str:
    """Run a command in a detached tmux window of the given width (a real terminal, no COLUMNS) and capture it."""
    tmux = shutil.which("tmux") or pytest.skip("tmux is not installed (apt-get install -y tmux)")
    socket, done = str(tmp / f"tmux{columns}"), tmp / f"done{columns}"
    line = " ".join(command) + f"; touch {done}; sleep 30"
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("COLUMNS", "LINES", "TMUX")}
    subprocess.run([tmux, "-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", str(columns), "-y", "60", line],
                   check=True, env={**env, "TERM": "xterm-256color"}, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        return subprocess.run([tmux, "-S", socket, "capture-pane", "-p", "-J"], capture_output=True, text=True, check=True).stdout
    finally:
        subprocess.run([tmux, "-S", socket, "kill-server"], capture_output=True)


@pytest.mark.parametrize("columns", [80, 160])
def test_tmux_terminal_width_is_detected_without_columns(columns, tmp_path):
    command = [sys.executable, "-m", "comparer", "diff", str(PDF.relative_to(ROOT)), str(PDF_EDITED.relative_to(ROOT))]
    screen = tmux_capture(columns, command, tmp_path)
    assert "2 drifts (1 removed, 1 figure)" in screen
    assert_tables_whole(screen, columns)
    if columns == 160:
        assert "┃ kind" in screen  # wide: the old | new table
    else:
        assert "old p.3 L18 · new p.3 L17" in screen  # narrow: word-diff blocks
