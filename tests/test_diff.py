"""`comparer diff` on the real PDF-text / web-text pair and on planted edits."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import PDF_TEXT, QUFUBAN_2022, ROOT, WEB_TEXT
from comparer.diff import diff_reports
from comparer.ingest import read_document
from comparer.sections import parse_report

WEB_LINES = WEB_TEXT.read_text("utf-8").split("\n")
BODY_FROM = next(i for i, line in enumerate(WEB_LINES) if line.startswith("一、"))


def _diff_json(cli, old, new, *extra):
    result = cli("diff", old, new, "--format", "json", *extra)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_pdf_text_and_web_text_say_the_same(cli):
    code, data = _diff_json(cli, PDF_TEXT, WEB_TEXT)
    assert code == 0
    assert data["schema"] == "comparer.diff/1"
    assert data["drifts"] == [] and data["summary"]["drifts"] == 0
    assert data["new"]["stated_issuer"] == "长宁区司法局" and data["new"]["issuer"] == "长宁区人民政府" and data["new"]["date"] == "2025-01-09"
    assert {s["status"] for s in data["sections"]} == {"same"}


def test_planted_edits_found_with_lines_in_both_files(cli, tmp_path):
    edited = WEB_TEXT.read_text("utf-8").replace("7009件", "7090件").replace("区委书记、区长在", "区长在")
    target = tmp_path / "edited.txt"
    target.write_text(edited, "utf-8")
    code, data = _diff_json(cli, PDF_TEXT, target)
    assert code == 1
    kinds = {d["kind"]: d for d in data["drifts"]}
    assert len(data["drifts"]) == 2
    figure = kinds["figure"]
    assert (figure["old_value"], figure["new_value"]) == ("7009", "7090")
    pdf_lines = PDF_TEXT.read_text("utf-8").split("\n")
    assert "7009" in pdf_lines[figure["old_line"] - 1] and "7090" in edited.split("\n")[figure["new_line"] - 1]
    assert figure["section"] == "主要举措和成效 > 完善共建共治共享的社会治理新格局"
    removed = kinds["removed"]
    assert removed["old_text"] == "区委书记、" and "区委书记" in pdf_lines[removed["old_line"] - 1]
    assert removed["section"].startswith("主要负责人履行推进法治政府建设第一责任人职责 > 深化学习")


def test_other_report_is_all_drift_and_formats_render(cli, tmp_path):
    for fmt in ("csv", "md", "html", "text"):
        out = tmp_path / f"out.{fmt}"
        result = cli("diff", QUFUBAN_2022, WEB_TEXT, "--format", fmt, "--output", out)
        assert result.returncode == 1, result.stderr
        assert out.stat().st_size > 1000
    assert "kind,section,old_text" in (tmp_path / "out.csv").read_text("utf-8").splitlines()[0]


# ---- hypothesis: planted edits and noise-only variants -------------------------------------

def _sections_of(line_index: int) -> str:
    """Return the expected section path of a web-text line, read straight from the lines."""
    top = sub = None
    for line in WEB_LINES[BODY_FROM : line_index + 1]:
        if re.match(r"^[一二三四五六七八九十]、", line):
            top, sub = line[2:].split("。")[0], None
        elif re.match(r"^\([一二三四五六七八九十]\)", line):
            sub = line[3:].split("。")[0]
    return " > ".join(x for x in (top, sub) if x)


SENTENCES = [
    (i, m.start(), m.group(0))
    for i in range(BODY_FROM, len(WEB_LINES))
    for m in re.finditer(r"[^。]+。", WEB_LINES[i])
    if m.start() > 0 and not re.match(r"^[一二三四五六七八九十]、", WEB_LINES[i])
    and not WEB_LINES[i][: m.start()].endswith(")") and len(m.group(0)) > 8
]
_RAW_WEB = read_document(WEB_TEXT)
_OLD = parse_report(_RAW_WEB)


def _edited(text: str):
    from dataclasses import replace

    return parse_report(replace(_RAW_WEB, text=text))


def _plant(kind: str, line: int, start: int, sentence: str, digit: int) -> tuple[str, str]:
    """Return the edited web text and the drift kind the edit must produce."""
    lines = _RAW_WEB.text.split("\n")  # body with the web header blanked, same line numbers
    text = lines[line]
    end = start + len(sentence)
    if kind == "figure":
        number = re.search(r"\d+", sentence)
        if number is None:
            kind = "delete"
        else:
            new_number = str(int(number.group(0)) + digit)
            sentence = sentence[: number.start()] + new_number + sentence[number.end() :]
            lines[line] = text[:start] + sentence + text[end:]
            return "\n".join(lines), "figure"
    if kind == "delete":
        lines[line] = text[:start] + text[end:]
        return "\n".join(lines), "removed"
    if kind == "insert":
        lines[line] = text[:end] + "新增加强测试核查工作机制建设的要求。" + text[end:]
        return "\n".join(lines), "added"
    word = re.search(r"[\u4e00-\u9fff]{2}", sentence)
    sentence = sentence[: word.start()] + "甲乙" + sentence[word.end() :]
    lines[line] = text[:start] + sentence + text[end:]
    return "\n".join(lines), "changed"


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    choice=st.sampled_from(SENTENCES),
    kind=st.sampled_from(["figure", "delete", "insert", "swap"]),
    digit=st.integers(min_value=1, max_value=9),
)
def test_each_planted_edit_reported_once_in_place(choice, kind, digit):
    line, start, sentence = choice
    text, expected_kind = _plant(kind, line, start, sentence, digit)
    result = diff_reports(_OLD, _edited(text))
    assert len(result.drifts) == 1, [d for d in result.drifts]
    drift = result.drifts[0]
    assert drift.kind == expected_kind
    assert drift.old_line == line + 1 and drift.new_line == line + 1
    assert drift.section == _sections_of(line)


FULL_WIDTH = str.maketrans({",": "，", ":": "：", "(": "（", ")": "）", ";": "；"})


def _pdf_like(text: str, width: int, page_lines: int, spaces: bool, full: bool, header: bool = False) -> str:
    """Re-render web text like PDF extraction: wrapped lines, blank lines, page numbers, running header."""
    out, page, count = [], 1, 0
    for paragraph in text.split("\n"):
        if full:
            paragraph = paragraph.translate(FULL_WIDTH)
        if spaces:
            paragraph = re.sub(r"(?<=\d)(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=\d)", " ", paragraph)
        for k in range(0, max(len(paragraph), 1), width):
            out += [(" " if count == 0 and page > 1 else "") + paragraph[k : k + width], ""]
            count += 1
            if count == page_lines:
                out += [f"- {page} -", ""] + (["上海市长宁区人民政府", ""] if header else [])
                page, count = page + 1, 0
    return "\n".join(out)


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(
    width=st.integers(min_value=18, max_value=45),
    page_lines=st.integers(min_value=8, max_value=40),
    spaces=st.booleans(),
    full=st.booleans(),
    header=st.booleans(),
)
def test_noise_only_variants_give_zero_drift(width, page_lines, spaces, full, header):
    body = "\n".join(WEB_LINES[BODY_FROM:])
    noisy = _pdf_like(body, width, page_lines, spaces, full, header)
    clean = "\n".join([""] * BODY_FROM + WEB_LINES[BODY_FROM:])
    result = diff_reports(_edited(clean), _edited(noisy))
    assert result.drifts == ()


def test_diff_of_a_document_with_itself_is_empty():
    assert diff_reports(_OLD, _OLD).drifts == ()


def _lines_without_header():
    return _RAW_WEB.text.split("\n")


def test_moved_paragraph_is_one_moved_drift_and_a_moved_section():
    lines = _lines_without_header()
    seventh = next(i for i, l in enumerate(lines) if l.startswith("(七)"))
    eighth = next(i for i, l in enumerate(lines) if l.startswith("(八)"))
    lines[seventh], lines[eighth] = lines[eighth], lines[seventh]
    result = diff_reports(_OLD, _edited("\n".join(lines)))
    assert [d.kind for d in result.drifts] == ["moved"]
    moved = result.drifts[0]
    assert {moved.old_line, moved.new_line} == {seventh + 1, eighth + 1}
    statuses = {p.new.title: p.status for p in result.pairs if p.new is not None}
    assert "moved" in {statuses["完善共建共治共享的社会治理新格局"], statuses["强化法治政府建设科技保障"]}


def test_inserted_section_renumbers_without_drift_in_the_renumbered_ones():
    lines = _lines_without_header()
    third = next(i for i, l in enumerate(lines) if l.startswith("(三)"))
    inserted = "(三)新增测试专项工作。开展证明事项告知承诺制试点,梳理证明事项清单。"
    renumbered = [re.sub(r"^\(([三四五六七])\)", lambda m: "(" + "四五六七八"["三四五六七".index(m.group(1))] + ")", l) if third <= i < third + 12 else l for i, l in enumerate(lines)]
    renumbered.insert(third, inserted)
    result = diff_reports(_OLD, _edited("\n".join(renumbered)))
    assert len(result.drifts) == 1 and result.drifts[0].kind == "added"
    assert "证明事项告知承诺制" in result.drifts[0].new_text
    added = [p for p in result.pairs if p.status == "added"]
    assert [p.new.title for p in added] == ["新增测试专项工作"]
    assert all(p.status == "same" for p in result.pairs if p.new is not None and p.new.title == "持续推进政府职能转变")


def test_removed_section_is_reported_with_its_lines():
    lines = _lines_without_header()
    fourth = next(i for i, l in enumerate(lines) if l.startswith("(四)加强行政权力制约监督"))
    del lines[fourth]
    lines.insert(fourth, "")  # keep the line numbers of what follows
    result = diff_reports(_OLD, _edited("\n".join(lines)))
    assert [d.kind for d in result.drifts] == ["removed"]
    assert result.drifts[0].old_line == fourth + 1
    removed = [p for p in result.pairs if p.status == "removed"]
    assert [p.old.title for p in removed] == ["加强行政权力制约监督"]


def test_long_documents_align_in_order_and_still_find_moves_and_edits():
    body = _lines_without_header()[BODY_FROM:]
    copies = []
    for n in range(12):  # ~280 sections per side: beyond the exhaustive pairing limit
        copies += [re.sub(r"^一、主要举措和成效", f"一、主要举措和成效第{n}部分", l) for l in body]
    old_text = "\n".join(copies)
    lines = list(copies)
    a = next(i for i, l in enumerate(lines) if l.startswith("(七)") and i > len(lines) // 2)
    c = next(i for i, l in enumerate(lines) if l.startswith("(八)") and i > a)
    lines[a], lines[c] = lines[c], lines[a]
    b = next(i for i, l in enumerate(lines) if "7009件" in l and i < len(lines) // 3)
    lines[b] = lines[b].replace("7009件", "7010件")
    result = diff_reports(_edited(old_text), _edited("\n".join(lines)))
    assert sorted(d.kind for d in result.drifts) == ["figure", "moved"]
    assert len([p for p in result.pairs if p.status == "moved"]) == 1
    assert not [p for p in result.pairs if p.status in ("added", "removed")]


def test_all_national_reports_in_one_file_with_50_figures_changed(cli, tmp_path):
    """The big pair of benchmarks/bench_bigdiff.py: every changed figure found, in order, and nothing else."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _inputs import national_pair

    old_text, new_text, changes = national_pair(50, seed=11)
    assert len(old_text) > 400_000 and len(changes) == 50
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(old_text, "utf-8")
    new.write_text(new_text, "utf-8")
    code, data = _diff_json(cli, old, new)
    assert code == 1
    assert [d["kind"] for d in data["drifts"]] == ["figure"] * 50
    assert [(d["old_value"].rstrip("%"), d["new_value"].rstrip("%")) for d in data["drifts"]] == [(a, b) for _, a, b in changes]
    lines = old_text.split("\n")
    for drift, (offset, before, _) in zip(data["drifts"], changes):
        assert drift["old_line"] == old_text.count("\n", 0, offset) + 1
        assert before in lines[drift["old_line"] - 1]
