"""`comparer corpus`: identify, group copies, chain years, follow up, tables, HTML (through the real CLI)."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import GUODONGBAN_2024, JINGAN_PLAN, PDF_TEXT, QUFUBAN_2022, ROOT, SEEDS, WEB_TEXT

CORPUS = ROOT / "fixtures" / "corpus"
BAD = ROOT / "fixtures" / "bad"
TABLES = ("documents", "sections", "commitments", "followup", "drifts", "figures", "repeats", "targets")

# Read from each file: the opening sentence (我代表国务院 / 我代表区人民政府 + the district the body
# names), the signature of the two 法治 reports, and the review heading (work reports: year delivered).
EXPECTED = {
    "guowuyuan_2014_gongzuobaogao.txt": ("国务院", "国务院", 2014),
    "guowuyuan_2015_gongzuobaogao.txt": ("国务院", "国务院", 2015),
    "guowuyuan_2016_gongzuobaogao.txt": ("国务院", "国务院", 2016),
    "guowuyuan_2017_gongzuobaogao.txt": ("国务院", "国务院", 2017),
    "guowuyuan_2018_gongzuobaogao.txt": ("国务院", "国务院", 2018),
    "guowuyuan_2019_gongzuobaogao.txt": ("国务院", "国务院", 2019),
    "guowuyuan_2020_gongzuobaogao.txt": ("国务院", "国务院", 2020),
    "guowuyuan_2021_gongzuobaogao.txt": ("国务院", "国务院", 2021),
    "guowuyuan_2022_gongzuobaogao.txt": ("国务院", "国务院", 2022),
    "guowuyuan_2023_gongzuobaogao.txt": ("国务院", "国务院", 2023),
    "guowuyuan_2024_gongzuobaogao.txt": ("国务院", "国务院", 2024),
    "guowuyuan_2025_gongzuobaogao.txt": ("国务院", "国务院", 2025),
    "shenzhen-guangming_2021_fazhizhengfu.txt": ("光明区", "光明区人民政府", 2021),
    "shenzhen-longgang_2018_gongzuobaogao.txt": ("龙岗区", "龙岗区人民政府", 2018),
    "shenzhen-longgang_2019_gongzuobaogao.txt": ("龙岗区", "龙岗区人民政府", 2019),
    "shenzhen-longgang_2020_gongzuobaogao.txt": ("龙岗区", "龙岗区人民政府", 2020),
    "shenzhen-longgang_2021_gongzuobaogao.txt": ("龙岗区", "龙岗区人民政府", 2021),
    "shenzhen-longgang_2022_gongzuobaogao.txt": ("龙岗区", "龙岗区人民政府", 2022),
    "shenzhen-longgang_2023_gongzuobaogao.txt": ("龙岗区", "龙岗区人民政府", 2023),
    "shenzhen-longgang_2024_gongzuobaogao.txt": ("龙岗区", "龙岗区人民政府", 2024),
    "shenzhen-longgang_2025_gongzuobaogao.txt": ("龙岗区", "龙岗区人民政府", 2025),
    "shenzhen-longhua_2019_fazhizhengfu.txt": ("龙华区", "龙华区人民政府", 2019),
    "shenzhen-luohu_2018_gongzuobaogao.txt": ("罗湖区", "罗湖区人民政府", 2018),
    "shenzhen-luohu_2019_gongzuobaogao.txt": ("罗湖区", "罗湖区人民政府", 2019),
    "shenzhen-luohu_2020_gongzuobaogao.txt": ("罗湖区", "罗湖区人民政府", 2020),
    "shenzhen-luohu_2021_gongzuobaogao.txt": ("罗湖区", "罗湖区人民政府", 2021),
    "shenzhen-luohu_2022_gongzuobaogao.txt": ("罗湖区", "罗湖区人民政府", 2022),
    "shenzhen-luohu_2023_gongzuobaogao.txt": ("罗湖区", "罗湖区人民政府", 2023),
    "shenzhen-luohu_2024_gongzuobaogao.txt": ("罗湖区", "罗湖区人民政府", 2024),
    "shenzhen-luohu_2025_gongzuobaogao.txt": ("罗湖区", "罗湖区人民政府", 2025),
    "shenzhen-yantian_2018_gongzuobaogao.txt": ("盐田区", "盐田区人民政府", 2018),
    "shenzhen-yantian_2019_gongzuobaogao.txt": ("盐田区", "盐田区人民政府", 2019),
    "shenzhen-yantian_2020_gongzuobaogao.txt": ("盐田区", "盐田区人民政府", 2020),
    "shenzhen-yantian_2021_gongzuobaogao.txt": ("盐田区", "盐田区人民政府", 2021),
    "shenzhen-yantian_2022_gongzuobaogao.txt": ("盐田区", "盐田区人民政府", 2022),
    "shenzhen-yantian_2023_gongzuobaogao.txt": ("盐田区", "盐田区人民政府", 2023),
    "shenzhen-yantian_2024_gongzuobaogao.txt": ("盐田区", "盐田区人民政府", 2024),
    "shenzhen-yantian_2025_gongzuobaogao.txt": ("盐田区", "盐田区人民政府", 2025),
}


def read_table(out: Path, name: str) -> list[dict]:
    """Return the rows of one CSV table."""
    with open(out / f"{name}.csv", encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def dump_dom(html: Path, tmp: Path) -> str:
    """Return the DOM of a page after headless Chromium ran its scripts."""
    from conftest import chromium_or_skip

    browser = chromium_or_skip()
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp / 'chromium-profile'}", "--dump-dom", html.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    """Run `comparer corpus` once on all 38 corpus files (two worker processes)."""
    from conftest import run_cli

    tmp = tmp_path_factory.mktemp("full")
    out = tmp / "out"
    done = run_cli("corpus", CORPUS, "--out", out, "--jobs", "2", "--cache", tmp / "cache", "--format", "json")
    return done, out, tmp


def test_full_corpus_identifies_every_file_and_chains_years(full_run):
    done, out, _ = full_run
    assert done.returncode == 1, done.stderr  # findings: commitments not reported
    summary = json.loads(done.stdout)
    assert summary["schema"] == "comparer.corpus/1" and summary == json.loads((out / "summary.json").read_text())
    assert summary["counts"]["documents"] == 38 and summary["skipped"] == []
    found = {row["path"]: (row["region"], row["issuer"], int(row["year"])) for row in read_table(out, "documents")}
    assert found == EXPECTED
    assert {row["identified_by"] for row in read_table(out, "documents")} == {"text"}
    chains = {(c["region"], c["family"]): c for c in summary["chains"]}
    assert chains[("国务院", "work")]["years"] == list(range(2014, 2026))
    assert len(chains[("罗湖区", "work")]["links"]) == 7 and summary["counts"]["links"] == 32
    link = chains[("国务院", "work")]["links"][0]
    assert (link["plan_year"], link["later_years"]) == (2014, [2015]) and link["commitments"] > 0


def test_full_corpus_writes_every_table_and_the_report(full_run):
    _, out, _ = full_run
    import pandas as pd

    for name in TABLES:
        frame = pd.read_parquet(out / f"{name}.parquet")
        with open(out / f"{name}.csv", encoding="utf-8-sig", newline="") as stream:
            header = next(csv.reader(stream))
        assert list(frame.columns) == header and len(frame) == len(read_table(out, name))
    assert len(read_table(out, "commitments")) > 5000 and len(read_table(out, "sections")) > 1000
    followup = read_table(out, "followup")
    assert {row["status"] for row in followup} >= {"reported", "repeated", "missing"}
    assert any(row["indicator"] for row in read_table(out, "figures"))
    assert all(0 < float(row["confidence"]) <= 1 for row in followup)
    targets = read_table(out, "targets")
    assert {row["verdict"] for row in targets} == {"met", "missed", "not-reported"}
    assert all(bool(row["realised_raw"]) == (row["verdict"] != "not-reported") for row in targets)
    assert {row["kind"] for row in read_table(out, "repeats")} >= {"recurring-indicator", "carried-over", "template-text"}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Quantified targets" in html and "Recurring indicators" in html and "Carried-over commitments" in html
    assert "<script src" not in html and "http://" not in html and "https://" not in html


def test_report_renders_in_headless_chromium(full_run):
    _, out, tmp = full_run
    dom = dump_dom(out / "report.html", tmp)
    matrix = dom[dom.index('id="matrix"'):dom.index("</table>", dom.index('id="matrix"'))]
    assert all(f"<th>{year}</th>" in matrix for year in range(2014, 2026))
    assert all(f'data-region="{region}"' in matrix for region in ("国务院", "罗湖区", "盐田区", "龙岗区"))
    assert 'class="cell"' in matrix
    rows = dom.count('class="c-row"')
    assert rows == len(read_table(out, "followup")) > 1000
    assert f"{rows} / {rows} shown" in dom  # the inline filter script ran


def test_seeds_group_pdf_and_web_copies_and_chain_the_office_report(cli, tmp_path):
    out = tmp_path / "out"
    done = cli("corpus", SEEDS, "--out", out, "--no-cache", "--format", "json")
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)
    copies = summary["copies"]
    assert [sorted(c["documents"]) for c in copies] == [sorted([PDF_TEXT.name, WEB_TEXT.name])]
    assert copies[0]["drifts"] == 0 and read_table(out, "drifts") == []
    changning = next(c for c in summary["chains"] if c["region"] == "长宁区")
    link = changning["links"][0]
    assert link["plan"] == QUFUBAN_2022.name and link["later_years"] == [2024]
    assert set(link["later"]) == {PDF_TEXT.name, GUODONGBAN_2024.name}
    docs = {row["path"]: row for row in read_table(out, "documents")}
    assert docs[JINGAN_PLAN.name]["genre"] == "multi-year-plan" and docs[JINGAN_PLAN.name]["region"] == "静安区"
    assert docs[GUODONGBAN_2024.name]["issuer"] == "长宁区国动办"
    assert docs[QUFUBAN_2022.name]["issuer"] == "长宁区人民政府办公室"


def test_a_changed_copy_is_grouped_and_its_drift_listed(cli, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(PDF_TEXT, folder / "pdf.txt")
    text = WEB_TEXT.read_text(encoding="utf-8")
    assert "7009" in text
    (folder / "web.txt").write_text(text.replace("7009", "7090", 1), encoding="utf-8")
    done = cli("corpus", folder, "--out", out, "--no-cache")
    assert done.returncode == 1, done.stderr
    drifts = read_table(out, "drifts")
    assert [(d["kind"], d["old_value"], d["new_value"]) for d in drifts] == [("figure", "7009", "7090")]
    assert drifts[0]["old_doc"] == "pdf.txt" and drifts[0]["new_doc"] == "web.txt"


def test_bad_files_are_skipped_with_reasons_and_the_run_goes_on(cli, tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    (folder / "sub").mkdir(parents=True)
    for name in ("empty.txt", "binary.bin", "scanned.pdf"):
        shutil.copy(BAD / name, folder / name)
    shutil.copy(QUFUBAN_2022, folder / "sub" / QUFUBAN_2022.name)
    shutil.copy(PDF_TEXT, folder / "sub" / PDF_TEXT.name)
    done = cli("corpus", folder, "--out", out, "--no-cache")
    assert done.returncode == 1, done.stderr
    skipped = {s["path"]: s["reason"] for s in json.loads((out / "summary.json").read_text())["skipped"]}
    assert skipped == {"empty.txt": "empty file", "scanned.pdf": "no text layer (scanned PDF?)",
                       "binary.bin": skipped["binary.bin"]} and "not a report file (.bin)" in skipped["binary.bin"]
    assert sorted(line for line in done.stderr.splitlines() if ": skipped: " in line) == sorted(
        f"{path}: skipped: {reason}" for path, reason in skipped.items())
    assert len(read_table(out, "documents")) == 2 and read_table(out, "followup")


def test_a_folder_of_bad_files_only_exits_2(cli, tmp_path):
    for name in ("empty.txt", "scanned.pdf", "truncated.pdf"):
        shutil.copy(BAD / name, tmp_path / name)
    done = cli("corpus", tmp_path, "--out", tmp_path.parent / f"{tmp_path.name}-out", "--no-cache")
    assert done.returncode == 2
    assert "no readable report" in done.stderr and done.stderr.count(": skipped: ") == 3


def test_second_run_takes_unchanged_files_from_the_cache(cli, tmp_path):
    folder, cache = tmp_path / "in", tmp_path / "cache"
    shutil.copytree(SEEDS, folder)
    first = cli("corpus", folder, "--out", tmp_path / "a", "--cache", cache)
    assert "(0 from cache)" in first.stderr and any(cache.rglob("*.json.z")) and not any(cache.rglob("*.pickle"))
    (folder / JINGAN_PLAN.name).write_text(JINGAN_PLAN.read_text(encoding="utf-8") + "\n附件：无\n", encoding="utf-8")
    second = cli("corpus", folder, "--out", tmp_path / "b", "--cache", cache)
    assert "(4 from cache)" in second.stderr, second.stderr
    for name in ("followup", "drifts", "sections"):
        assert read_table(tmp_path / "a", name) == read_table(tmp_path / "b", name)


def _tables(out: Path) -> dict:
    """Return every CSV table as a sorted list of rows (row order ignored)."""
    return {name: sorted(tuple(sorted(row.items())) for row in read_table(out, name)) for name in TABLES}


def test_process_and_dask_engines_write_the_same_tables_as_local(cli, tmp_path):
    runs = {"local": (), "processes": ("--jobs", "2"), "dask": ("--engine", "dask", "--jobs", "2")}
    tables = {}
    for name, options in runs.items():
        done = cli("corpus", SEEDS, "--out", tmp_path / name, "--no-cache", *options)
        assert done.returncode == 1, done.stderr
        tables[name] = _tables(tmp_path / name)
    assert tables["local"]["followup"] and tables["local"]["figures"]
    assert tables["processes"] == tables["local"] and tables["dask"] == tables["local"]


def test_usage_errors_exit_2_with_one_line(cli, tmp_path):
    for args in (("corpus", tmp_path / "missing"), ("corpus", SEEDS, "--engine", "spark"),
                 ("corpus", SEEDS, "--scheduler", "tcp://127.0.0.1:1"), ("corpus", SEEDS, "--format", "csv")):
        done = cli(*args, "--out", tmp_path / "out")
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, (args, done.stderr)


def test_dask_missing_is_a_clear_error(monkeypatch):
    import sys

    from comparer.errors import ComparerError
    from comparer.corpus.runners import open_runner

    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(ComparerError, match=r"pip install 'comparer\[dask\]'"):
        with open_runner("dask", 1):
            pass


def test_issuer_names_split_into_region_and_office():
    from comparer.identity import frequent_place, split_issuer

    assert split_issuer("深圳市光明区人民政府") == ("光明区", "光明区人民政府")
    assert split_issuer("上海市静安区人民政府办公室") == ("静安区", "静安区人民政府办公室")
    assert split_issuer("长宁区司法局") == ("长宁区", "长宁区司法局")
    assert split_issuer("长宁区府办") == ("长宁区", "长宁区人民政府办公室")
    assert split_issuer("国务院") == ("国务院", "国务院") and split_issuer("区国动办") == (None, "区国动办")
    assert frequent_place("推进粤港澳大湾区建设，罗湖区坚持改革，罗湖发展，罗湖人民。特别行政区，统一大市场。") == "罗湖区"
    assert frequent_place("加强区委领导，落实区委部署，按照区政府要求，推进示范区、合作区建设。") is None


def test_a_region_from_the_file_name_must_be_a_known_division(cli, tmp_path):
    """shenzhen-foo names no division of 深圳 (not 深圳市, not "shenzhen-foo"); shenzhen-luohu names 罗湖区."""
    folder = tmp_path / "in"
    folder.mkdir()
    body = "一、工作情况\n我们做了很多工作。\n二、下一步计划\n进一步加强学习。\n"
    (folder / "shenzhen-foo_2020_fazhizhengfu.txt").write_text(body, encoding="utf-8")
    (folder / "shenzhen-luohu_2021_fazhizhengfu.txt").write_text(body.replace("学习", "培训"), encoding="utf-8")
    done = cli("corpus", folder, "--out", tmp_path / "out", "--no-cache")
    assert done.returncode in (0, 1), done.stderr
    rows = {row["path"]: row for row in read_table(tmp_path / "out", "documents")}
    foo, luohu = rows["shenzhen-foo_2020_fazhizhengfu.txt"], rows["shenzhen-luohu_2021_fazhizhengfu.txt"]
    assert (foo["region"], foo["year"], foo["identified_by"]) == ("", "2020", "filename")
    assert (luohu["region"], luohu["year"], luohu["identified_by"]) == ("罗湖区", "2021", "filename")
    assert "shenzhen-foo" not in json.dumps(json.loads((tmp_path / "out" / "summary.json").read_text("utf-8"))["issuers"])
