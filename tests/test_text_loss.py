"""No silent loss: every removal rule drops only what it matches, says what it dropped, and warns."""
from __future__ import annotations

import json
import re
from functools import lru_cache

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT
from comparer.ingest import read_document
from comparer.normalize import normalize
from comparer.patterns import split_sentences

REPORTS = sorted([*ROOT.glob("fixtures/corpus/*.txt"), *ROOT.glob("fixtures/corpus-extra/*.txt")])
NATIONAL_2014 = ROOT / "fixtures" / "corpus" / "guowuyuan_2014_gongzuobaogao.txt"
LONGHUA_2019 = ROOT / "fixtures" / "corpus" / "shenzhen-longhua_2019_fazhizhengfu.txt"
LONGGANG_2014 = ROOT / "fixtures" / "corpus-extra" / "shenzhen-longgang_2014_gongzuobaogao.txt"

FOOTER_LINES = [
    "责任编辑：张三", "【我要纠错】责任编辑：吴啸浪", "扫一扫在手机打开当前页", "我要纠错", "本作品是中华人民共和国的",
    "本作品在全世界都属于公有领域", "Public domain", "false", "分享到：",
]
PAGE_LINES = ["- 5 -", "— 12 —", "第5页", "第 3 页 共 20 页", "12", "3/20", "7", "138"]
TABLE_LINES = ["M2", "PM10", "PM2.5", "2", "10", "8.5%", "序号", "合计", "项目名称", "1", "单位：亿元"]
NOISE = FOOTER_LINES + PAGE_LINES + TABLE_LINES


@lru_cache(maxsize=None)
def _report_lines(path) -> tuple[str, ...]:
    return tuple(path.read_text("utf-8").split("\n"))


@lru_cache(maxsize=None)
def _body_sentences(path) -> tuple[str, ...]:
    text = normalize("\n".join(_report_lines(path))).text
    return tuple(s for s in (text[a:b] for a, b in split_sentences(text)) if len(s) >= 2)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(path=st.sampled_from(REPORTS), noise=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(NOISE)), min_size=1, max_size=12))
def test_inserted_footer_page_and_table_lines_never_lose_a_body_sentence(path, noise):
    lines = list(_report_lines(path))
    for where, line in sorted(noise, reverse=True):
        lines.insert(int(where * len(lines)), line)
    kept = normalize("\n".join(lines)).text
    lost = [s for s in _body_sentences(path) if s not in kept]
    assert not lost, lost[:3]
    assert normalize(kept).text == kept


def _with_footer_in_the_middle(path, tmp_path):
    """Write the report with a portal footer line inserted halfway and return the file."""
    lines = path.read_text("utf-8").split("\n")
    half = len(lines) // 2
    out = tmp_path / f"footer_{path.name}"
    out.write_text("\n".join(lines[:half] + ["责任编辑：张三"] + lines[half:]), encoding="utf-8")
    return out, "\n".join(lines[half:])


def test_a_footer_line_mid_report_drops_only_itself(tmp_path):
    file, second_half = _with_footer_in_the_middle(NATIONAL_2014, tmp_path)
    norm = normalize(read_document(file).text)
    tail = normalize(second_half).text.split("\n")[0]
    assert tail in norm.text
    footers = [run for run in norm.dropped if run.rule == "web-footer"]
    assert footers[0].text == "责任编辑：张三" and footers[0].first_line == footers[0].last_line


def test_a_figure_changed_after_a_mid_report_footer_is_found(cli, tmp_path):
    file, _ = _with_footer_in_the_middle(NATIONAL_2014, tmp_path)
    text = file.read_text("utf-8")
    figure = re.search(r"(?<=[\u4e00-\u9fff])\d{2,}(?=[\u4e00-\u9fff%])", text[text.index("责任编辑：张三"):])
    start = text.index("责任编辑：张三") + figure.start()
    edited = tmp_path / "edited.txt"
    edited.write_text(text[:start] + str(int(figure.group(0)) + 1) + text[figure.end() + start - figure.start():], encoding="utf-8")
    result = cli("diff", file, edited, "--format", "json")
    assert result.returncode == 1, result.stderr
    drifts = json.loads(result.stdout)["drifts"]
    assert [(d["kind"], d["old_value"], d["new_value"]) for d in drifts] == [("figure", figure.group(0), str(int(figure.group(0)) + 1))]


def test_a_file_of_several_reports_is_read_whole():
    paths = sorted(ROOT.glob("fixtures/corpus/guowuyuan_*.txt"))[:4]
    norm = normalize("\n".join(p.read_text("utf-8") for p in paths))
    for path in paths:
        last = normalize(path.read_text("utf-8")).text.split("\n")[-1]
        assert last in norm.text, path.name
    assert [run.rule for run in norm.dropped] == ["web-footer"] * len(paths)  # one licence box per report


def test_the_licence_box_is_dropped_whole_and_recorded():
    norm = normalize(NATIONAL_2014.read_text("utf-8"))
    (box,) = norm.dropped
    lines = NATIONAL_2014.read_text("utf-8").split("\n")
    assert lines[box.first_line - 1] == "本作品是中华人民共和国的" and lines[box.last_line - 1] == "false"
    assert box.text.split("\n")[0] == "本作品是中华人民共和国的" and "Public domain" in box.text
    assert box.chars == sum(len(re.sub(r"\s", "", line)) for line in box.text.split("\n"))
    assert norm.text.endswith("而努力奋斗!") and not norm.warnings


# ---- page numbers need evidence --------------------------------------------------------------

def _wrap(paragraphs: list[str], width: int = 30) -> list[str]:
    """Hard-wrap paragraphs at a fixed width, as PDF text comes."""
    return [p[k : k + width] for p in paragraphs for k in range(0, len(p), width)]


def test_table_cells_on_their_own_lines_in_wrapped_pdf_text_survive():
    body = [p for p in normalize(NATIONAL_2014.read_text("utf-8")).text.split("\n") if len(p) > 60][:12]
    lines = _wrap(body)
    lines[20:20] = ["广义货币(M", "2", ")增长13.6%,细颗粒物(PM", "10", ")浓度下降。"]
    norm = normalize("\n".join(lines))
    assert "(M2)增长13.6%" in norm.text and "(PM10)浓度下降" in norm.text
    assert "page-number" not in dict(norm.rules)


def test_bare_page_numbers_go_at_page_breaks_and_in_page_runs():
    body = [p for p in normalize(NATIONAL_2014.read_text("utf-8")).text.split("\n") if len(p) > 60][:40]
    lines = _wrap(body)
    pages = [lines[k : k + 25] for k in range(0, len(lines), 25)]
    with_breaks = "\f\n".join("\n".join(page + [str(n + 1)]) for n, page in enumerate(pages))
    without_breaks = "\n".join("\n".join(page + [str(n + 1)]) for n, page in enumerate(pages))
    expected = normalize("\n".join(lines)).text
    for raw in (with_breaks, without_breaks):
        norm = normalize(raw)
        assert norm.text == expected
        assert [run.text for run in norm.dropped] == [str(n + 1) for n in range(len(pages))]


def test_numbered_table_rows_are_not_a_page_run():
    raw = LONGGANG_2014.read_text("utf-8")
    rows = [line.strip() for line in raw.split("\n") if re.fullmatch(r"\s*\d{1,3}\s*", line)]
    assert len(rows) >= 40  # a table numbered 1, 2, 3 … one row every few lines
    kept = normalize(raw).text.split("\n")
    assert [line for line in kept if re.fullmatch(r"\d{1,3}", line)] == rows


# ---- what --explain and the warnings say -----------------------------------------------------

def test_explain_lists_every_dropped_run_with_its_lines_and_text(cli):
    result = cli("normalize", NATIONAL_2014, "--explain", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["rules"]["web-footer"] == len(data["dropped"][0]["text"].split("\n"))
    assert data["dropped"][0]["first_line"] == 295 and data["dropped"][0]["rule"] == "web-footer"
    assert data["warnings"] == []
    text = cli("normalize", NATIONAL_2014, "--explain").stdout
    assert "L295-335 web-footer" in text and "本作品是中华人民共和国的 | 法律" in text


def test_losing_more_than_one_percent_of_cjk_warns_on_stderr_and_in_json(cli, tmp_path):
    box = NATIONAL_2014.read_text("utf-8").split("\n")[294:335]
    file = tmp_path / "longhua_with_box.txt"
    file.write_text(LONGHUA_2019.read_text("utf-8") + "\n" + "\n".join(box), encoding="utf-8")
    for command in (["normalize", file, "--explain", "--format", "json"], ["sections", file, "--format", "json"]):
        result = cli(*command)
        assert result.returncode == 0, result.stderr
        warning = [line for line in result.stderr.splitlines() if line.startswith(f"{file}: warning: normalisation")]
        assert len(warning) == 1 and "web-footer" in warning[0], result.stderr
        listed = [w for w in json.loads(result.stdout)["warnings"] if w["message"].startswith("normalisation")]
        assert [w["path"] for w in listed] == [str(file)]
    assert "normalisation" not in cli("sections", LONGHUA_2019).stderr


def test_an_image_only_page_inside_a_text_pdf_is_a_warning(cli, tmp_path):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    paragraphs = [p for p in normalize(LONGHUA_2019.read_text("utf-8")).text.split("\n") if len(p) > 30]
    path = tmp_path / "scanned_page_2.pdf"
    pdf = canvas.Canvas(str(path), invariant=1)
    for page in (paragraphs[:3], None, paragraphs[3:6]):
        if page is None:  # a scanned page: an image, no text
            pdf.drawImage(ImageReader(Image.new("L", (200, 280), 200)), 72, 72, 400, 560)
        else:
            pdf.setFont("STSong-Light", 12)
            for row, paragraph in enumerate(page):
                pdf.drawString(72, 760 - 20 * row, paragraph[:30])
        pdf.showPage()
    pdf.save()
    result = cli("sections", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    message = "page 2 has no text layer (an image? its text is not read)"
    assert [line for line in result.stderr.splitlines() if "text layer" in line] == [f"{path}: warning: {message}"]
    assert {"path": str(path), "message": message} in json.loads(result.stdout)["warnings"]


def _report_with_box(tmp_path, name: str = "longhua_with_box.txt"):
    """Write a real short report with a Wikisource licence box appended (1.2% of its CJK characters)."""
    box = NATIONAL_2014.read_text("utf-8").split("\n")[294:335]
    file = tmp_path / name
    file.write_text(LONGHUA_2019.read_text("utf-8") + "\n" + "\n".join(box), encoding="utf-8")
    return file


@pytest.mark.parametrize("command", ["diff", "commitments", "followup", "align", "repeats"])
def test_every_command_that_reads_files_warns_once_and_lists_the_warning(cli, tmp_path, command):
    file = _report_with_box(tmp_path)
    clean = ROOT / "fixtures" / "corpus" / "shenzhen-longhua_2019_fazhizhengfu.txt"
    inputs = [file] if command == "commitments" else [file, clean, file] if command != "diff" else [file, file]
    result = cli(command, *inputs, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: normalisation" in line]
    assert len(warnings) == 1 and warnings[0].startswith(f"{file}: warning: normalisation dropped"), result.stderr
    data = json.loads(result.stdout)
    assert [w["path"] for w in data["warnings"] if w["message"].startswith("normalisation")] == [str(file)]


def test_corpus_lists_the_warnings_per_document(cli, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    _report_with_box(folder, "with_box.txt")
    (folder / "plain.txt").write_text(LONGHUA_2019.read_text("utf-8"), encoding="utf-8")
    done = cli("corpus", folder, "--out", out, "--no-cache")
    assert done.returncode in (0, 1), done.stderr
    listed = [w for w in json.loads((out / "summary.json").read_text())["warnings"] if w["message"].startswith("normalisation")]
    assert [w["path"] for w in listed] == ["with_box.txt"]
    assert [line for line in done.stderr.splitlines() if ": warning: normalisation" in line] == [f"with_box.txt: warning: {listed[0]['message']}"]
    rows = {row["path"]: str(row["warnings"]) for row in pd.read_csv(out / "documents.csv", encoding="utf-8-sig").to_dict("records")}
    assert "normalisation dropped" in rows["with_box.txt"] and "normalisation" not in rows["plain.txt"]
