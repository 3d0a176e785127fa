"""Hardening: fuzzed ingest, normalize and sections; CLI stays on one stderr line; no partial outputs."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, SEEDS, WEB_TEXT, run_cli
from comparer.errors import InputError
from comparer.ingest import read_document
from comparer.models import RawDocument, DocMeta
from comparer.normalize import normalize
from comparer.sections import parse_report

CJK = "长宁区法治政府建设报告推进行政执法监督年度工作安排主要举措成效存在不足原因是"
MARKS = "。，、；：（）一二三四五六七八九十第章节部分0123456789\n \u3000"
cjk_text = st.text(alphabet=st.sampled_from(CJK + MARKS), max_size=400)
headings = st.lists(st.sampled_from(["一、", "（二）", "3.", "(4)", "第五章", "一是", "二是", "①", "2025年工作安排", "存在的不足"]), max_size=8)
PREFIXES = [b"", b"%PDF-1.7\n", b"<!doctype html><html><body>", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00\x00"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(PREFIXES), data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".pdf", ".html", ""]))
def test_ingest_returns_or_raises_input_error(tmp_path: Path, prefix: bytes, data: bytes, suffix: str):
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(prefix + data)
    try:
        raw = read_document(path)
    except InputError:
        return
    assert isinstance(raw.text, str)


@settings(max_examples=200, deadline=None)
@given(text=cjk_text)
def test_normalize_never_raises(text: str):
    norm = normalize(text)
    assert normalize(norm.text).text == norm.text


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.tuples(headings, cjk_text), max_size=6), genre=st.sampled_from([None, "fazhi-report", "multi-year-plan", "work-report"]))
def test_sections_never_raise(parts, genre):
    text = "\n".join("".join(marks) + body for marks, body in parts)
    report = parse_report(RawDocument(DocMeta(path="fuzz.txt", kind="text", genre=genre, year=2024), text))
    for section in report.all_sections():
        assert section.start <= section.end <= len(report.norm.text)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=cjk_text, raw=st.binary(max_size=200), as_bytes=st.booleans())
def test_cli_sections_exits_cleanly(tmp_path: Path, text: str, raw: bytes, as_bytes: bool):
    path = tmp_path / "fuzz.txt"
    path.write_bytes(raw if as_bytes else text.encode("utf-8"))
    proc = run_cli("sections", path)
    assert proc.returncode in (0, 2), proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) <= 1


@pytest.mark.parametrize("command", ["sections", "normalize"])
def test_output_never_overwrites_an_input(tmp_path: Path, command: str):
    target = tmp_path / "report.txt"
    target.write_bytes(WEB_TEXT.read_bytes())
    proc = run_cli(command, target, "--output", target)
    assert proc.returncode == 2 and "input" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert target.read_bytes() == WEB_TEXT.read_bytes()


def test_diff_output_never_overwrites_either_input(tmp_path: Path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_bytes(WEB_TEXT.read_bytes())
    new.write_bytes(WEB_TEXT.read_bytes().replace("7009".encode(), b"7090"))
    before = new.read_bytes()
    proc = run_cli("diff", old, new, "--format", "json", "--output", new)
    assert proc.returncode == 2 and new.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt", "old.txt"]


def _big_text(size: int) -> str:
    """Return about `size` bytes of report text: seed paragraphs repeated with varied numbers."""
    seed = (SEEDS / "changning_2024_fazhi_report_pdftext.txt").read_text(encoding="utf-8")
    chunks, total, i = [], 0, 0
    while total < size:
        chunk = seed.replace("2024", str(1900 + i % 200)).replace("7009", str(i))
        chunks.append(chunk)
        total += len(chunk.encode("utf-8"))
        i += 1
    return "\n".join(chunks)


@pytest.mark.slow
def test_ctrl_c_leaves_no_partial_output(tmp_path: Path):
    big, big2 = tmp_path / "big.txt", tmp_path / "big2.txt"
    text = _big_text(20 * 1024 * 1024)
    big.write_text(text, encoding="utf-8")
    big2.write_text(text.replace("持续", "继续"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "comparer", "diff", big, big2, "--output", tmp_path / "out.json"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("comparer diff did not stop within 120 s of SIGINT")
    assert proc.returncode == 130 and err == "interrupted\n", err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt", "big2.txt"]
