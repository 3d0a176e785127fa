"""Bad inputs through the real CLI: exit 2, one stderr line naming the file, no traceback, no output file."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "fixtures" / "bad"
GOOD_PDF = ROOT / "fixtures" / "generated" / "changning_2024_report.pdf"
BAD_NAMES = ["missing", "directory", "empty.txt", "binary.bin", "scanned.pdf", "encrypted.pdf", "truncated.pdf"]
PROBLEMS = {
    "missing": "no such file",
    "directory": "directory",
    "empty.txt": "empty",
    "binary.bin": "binary",
    "scanned.pdf": "no text layer (scanned PDF?)",
    "encrypted.pdf": "encrypted",
    "truncated.pdf": "not a readable PDF (",
}


def run(*args) -> subprocess.CompletedProcess:
    """Run `python -m comparer ARGS` from the project root."""
    return subprocess.run(
        [sys.executable, "-m", "comparer", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, timeout=300, env={**os.environ, "COLUMNS": "160"},
    )


def bad_path(name: str, tmp_path: Path) -> Path:
    """Return the path of one bad input (missing file and directory made under tmp_path)."""
    if name == "missing":
        return tmp_path / "no_such_report.pdf"
    if name == "directory":
        folder = tmp_path / "a_directory"
        folder.mkdir()
        return folder
    return BAD / name


def assert_one_line_error(result: subprocess.CompletedProcess, path: Path, problem: str) -> None:
    """Check exit 2 and exactly one non-empty stderr line naming the file."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), result.stderr
    assert str(path) in lines[0]
    assert problem in lines[0]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_sections_rejects_bad_input(name, tmp_path):
    path = bad_path(name, tmp_path)
    result = run("sections", path)
    assert_one_line_error(result, path, PROBLEMS[name])
    assert result.stdout == ""


def test_sections_rejects_html_without_article(tmp_path):
    path = tmp_path / "nav_only.html"
    path.write_text("<html><body><div class='nav'><a>首页</a></div><footer>版权所有</footer></body></html>", encoding="utf-8")
    assert_one_line_error(run("sections", path), path, "no article text found in HTML")


@pytest.mark.parametrize("name", BAD_NAMES)
@pytest.mark.parametrize("bad_side", ["old", "new"])
def test_diff_with_bad_input_writes_no_output(name, bad_side, tmp_path):
    path = bad_path(name, tmp_path)
    out = tmp_path / "out.json"
    pair = (GOOD_PDF, path) if bad_side == "new" else (path, GOOD_PDF)
    result = run("diff", *pair, "--format", "json", "--output", out)
    assert_one_line_error(result, path, PROBLEMS[name])
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("out")] == []


@pytest.mark.parametrize(
    ("name", "heading"),
    [("gbk.txt", "一、主要举措和成效"), ("utf16.txt", "一、主要举措和成效"), ("malformed.html", "一、主要举措和成效")],
)
def test_odd_but_valid_inputs_work(name, heading):
    result = run("sections", BAD / name)
    assert result.returncode == 0, result.stderr
    assert heading in result.stdout
    assert result.stderr == ""


def test_huge_file_is_refused_before_reading(tmp_path):
    huge = tmp_path / "huge_report.txt"
    huge.write_text("2024年某区法治政府建设情况报告。\n" * 2000, "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "comparer", "diff", huge, huge, "--output", tmp_path / "out.json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300, env={**os.environ, "COMPARER_MAX_BYTES": "10000"},
    )
    assert_one_line_error(result, huge, "too large")
    assert not (tmp_path / "out.json").exists()


def test_wrong_encoding_is_decoded_not_garbled(tmp_path):
    latin = tmp_path / "big5_report.txt"
    latin.write_bytes("一、主要舉措和成效\n（一）持續深化改革。推進依法行政。\n".encode("big5"))
    result = run("sections", latin, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "主要舉措和成效" in result.stdout
