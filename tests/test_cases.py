"""Golden cases: `comparer snapshot` / `comparer check`, findings, volatile fields, JUnit."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from comparer.case_findings import findings
from comparer.cases import Case, check, load_cases, run_case, scrub, snapshot

from conftest import ROOT, run_cli

CASES = ROOT / "fixtures" / "cases"
PLANTED = "diff_changning_planted_edit"


@pytest.fixture
def cases_copy(tmp_path: Path) -> Path:
    """Return a copy of the whole cases folder inside a copy of the repository's fixtures (inputs must lie in the repository)."""
    repo = tmp_path / "repo"
    for name in ("seeds", "generated", "corpus"):
        shutil.copytree(ROOT / "fixtures" / name, repo / "fixtures" / name)
    (repo / "pyproject.toml").write_text("[project]\nname = 'cases-copy'\n", encoding="utf-8")
    target = repo / "fixtures" / "cases"
    shutil.copytree(CASES, target)
    return target


def _json(proc) -> dict:
    """Parse the JSON stdout of a CLI run."""
    return json.loads(proc.stdout)


def _outcome(report: dict, name: str) -> dict:
    """Return one case's outcome from a comparer.check/1 report."""
    return next(c for c in report["cases"] if c["name"] == name)


def test_bundled_cases_cover_the_commands():
    cases = load_cases(CASES)
    commands = {c.command for c in cases}
    assert len(cases) >= 8 and {"diff", "sections"} <= commands
    assert all(c.expected_path.exists() for c in cases)


def test_bundled_cases_match(cli):
    proc = cli("check", "fixtures/cases")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_expected_files_hold_no_volatile_fields():
    for path in CASES.glob("*/expected.json"):
        text = path.read_text(encoding="utf-8")
        assert str(ROOT) not in text and '"engine"' not in text, path


def test_edited_fixture_is_named_with_its_finding(cases_copy: Path, tmp_path: Path):
    edited = cases_copy / PLANTED / "edited_webtext.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("7090件", "7100件"), encoding="utf-8")
    junit = tmp_path / "junit.xml"
    proc = run_cli("check", cases_copy, "--format", "json", "--junit", junit)
    assert proc.returncode == 1, proc.stderr
    report = _json(proc)
    assert report["schema"] == "comparer.check/1"
    bad = _outcome(report, PLANTED)
    assert bad["status"] == "differ"
    assert any(f.startswith("drift appeared: figure in 主要举措和成效 >") and "7009 → 7100 (new line 25)" in f for f in bad["findings"])
    assert any(f.startswith("drift vanished: figure") and "7009 → 7090" in f for f in bad["findings"])
    assert {c["status"] for c in report["cases"] if c["name"] != PLANTED} == {"ok"}
    failures = ET.parse(junit).getroot().findall("testcase/failure")
    assert len(failures) == 1 and "7009 → 7100" in failures[0].text


def test_text_output_names_the_case(cases_copy: Path):
    edited = cases_copy / PLANTED / "edited_webtext.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("评查150份", "评查160份"), encoding="utf-8")
    proc = run_cli("check", cases_copy)
    assert proc.returncode == 1 and PLANTED in proc.stdout and "differ" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_unreadable_input_exits_2(cases_copy: Path):
    broken = cases_copy / "sections_broken"
    broken.mkdir()
    (broken / "case.toml").write_text('command = "sections"\ninputs = ["fixtures/bad/binary.bin"]\n', encoding="utf-8")
    (broken / "expected.json").write_text("{}\n", encoding="utf-8")
    proc = run_cli("check", cases_copy, "--format", "json")
    assert proc.returncode == 2
    outcome = _outcome(_json(proc), "sections_broken")
    assert outcome["status"] == "error" and "binary.bin" in outcome["error"]


def test_missing_input_and_missing_expected_are_errors(cases_copy: Path):
    for name in ("diff_no_input", "diff_no_expected"):
        (cases_copy / name).mkdir()
        (cases_copy / name / "case.toml").write_text('command = "diff"\ninputs = ["nowhere.txt", "nowhere2.txt"]\n', encoding="utf-8")
    (cases_copy / "diff_no_input" / "expected.json").write_text("{}\n", encoding="utf-8")
    result = check(cases_copy)
    assert result.exit_code == 2
    errors = {c.name: c.error for c in result.cases if c.status == "error"}
    assert set(errors) == {"diff_no_input", "diff_no_expected"}
    assert "nowhere.txt: input not found" in errors["diff_no_input"]
    assert "comparer snapshot" in errors["diff_no_expected"]


def test_no_cases_folder_exits_2(tmp_path: Path):
    proc = run_cli("check", tmp_path / "nothing")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1


def test_snapshot_refreshes_one_case_and_keeps_others(cases_copy: Path):
    edited = cases_copy / PLANTED / "edited_webtext.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("7090件", "7100件"), encoding="utf-8")
    other = cases_copy / "diff_changning_pdf_web" / "expected.json"
    before = other.stat().st_mtime_ns
    proc = run_cli("snapshot", cases_copy, "--case", PLANTED, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    (outcome,) = _json(proc)["cases"]
    assert outcome["status"] == "updated" and any("7100" in f for f in outcome["findings"])
    assert check(cases_copy).exit_code == 0
    assert snapshot(cases_copy).cases[0].status == "unchanged"
    assert other.stat().st_mtime_ns == before
    assert not list(cases_copy.glob("*/.expected.json.*"))


def test_snapshot_unknown_case_exits_2(cases_copy: Path):
    proc = run_cli("snapshot", cases_copy, "--case", "no_such_case")
    assert proc.returncode == 2 and "no_such_case" in proc.stderr


def test_case_local_input_is_named_as_written():
    (case,) = load_cases(CASES, PLANTED)
    data = run_case(case)
    assert data["new"]["path"] == "edited_webtext.txt"
    assert data["old"]["path"] == "fixtures/seeds/changning_2024_fazhi_report_webtext.txt"
    assert "engine" not in data


def test_scrub_drops_volatile_fields_and_absolute_paths(tmp_path: Path):
    data = {"engine": "x", "meta": {"path": str(tmp_path / "a.txt"), "elapsed": 1.5}, "other": str(tmp_path)}
    clean = scrub(data, {str(tmp_path / "a.txt"): "a.txt"})
    assert clean == {"meta": {"path": "a.txt"}, "other": tmp_path.name}


# ---- findings -----------------------------------------------------------------------------------


def _expected(name: str) -> dict:
    """Load a bundled case's expected.json."""
    return json.loads((CASES / name / "expected.json").read_text(encoding="utf-8"))


def test_sections_role_change_is_a_finding():
    expected = _expected("sections_changning_2024_web")
    actual = json.loads(json.dumps(expected))
    plan = actual["sections"][3]
    plan["role"] = "other"
    found = findings("sections", expected, actual)
    assert any(f.startswith("section 四、2025年推进法治政府建设的主要安排 lost role plan (now other)") for f in found)


def test_sections_vanished_heading_is_a_finding():
    expected = _expected("sections_changning_2024_web")
    actual = json.loads(json.dumps(expected))
    del actual["sections"][3]["children"][0]
    found = findings("sections", expected, actual)
    assert found == ["section vanished: (一)深化推进政府职能转变 (role plan, line 43)"]


def test_diff_summary_and_new_drift_are_findings():
    expected = _expected("diff_changning_pdf_web")
    actual = json.loads(json.dumps(expected))
    drift = {"kind": "figure", "section": "主要举措和成效 > 完善共建共治共享的社会治理新格局", "old_text": "7009", "new_text": "7090",
             "old_line": 25, "new_line": 25, "old_value": "7009", "new_value": "7090"}
    actual["drifts"].append(drift)
    actual["summary"]["drifts"] = 1
    found = findings("diff", expected, actual)
    assert found[0] == "drift appeared: figure in 主要举措和成效 > 完善共建共治共享的社会治理新格局: 7009 → 7090 (new line 25)"
    assert "summary.drifts 0 → 1" in found


def test_items_with_ids_are_keyed_by_id():
    old = {"schema": "comparer.followup/1", "commitments": [{"id": "4.2", "text": "建设某项目", "status": "reported"}]}
    new = {"schema": "comparer.followup/1", "commitments": [{"id": "4.2", "text": "建设某项目", "status": "missing"}, {"id": "4.3", "text": "新增"}]}
    found = findings("followup", old, new)
    assert found == ["commitment 4.2 status reported → missing", "commitment appeared: 4.3 «新增»"]


def test_generic_fallback_names_json_paths():
    assert findings("align", {"a": {"b": 1}, "c": [1]}, {"a": {"b": 2}, "c": [1, 2]}) == ["a.b 1 → 2", "c[1] added: 2"]


def test_unknown_command_is_an_error(tmp_path: Path):
    case = Case("x", tmp_path, "nosuch", ())
    with pytest.raises(Exception, match="unknown command"):
        run_case(case)


def test_followup_status_change_is_named_by_commitment_id():
    expected = _expected("followup_run_guowuyuan_2023_2024")
    actual = json.loads(json.dumps(expected))
    item = actual["commitments"][0]
    old_status, item["status"] = item["status"], "missing" if item["status"] != "missing" else "reported"
    found = findings("followup", expected, actual)
    assert found == [f"commitment {item['id']} status {old_status} → {item['status']}"]


def test_junit_marks_errors_and_failures(cases_copy: Path, tmp_path: Path):
    broken = cases_copy / "sections_broken"
    broken.mkdir()
    (broken / "case.toml").write_text('command = "sections"\ninputs = ["missing.txt"]\n', encoding="utf-8")
    junit = tmp_path / "junit.xml"
    assert run_cli("check", cases_copy, "--junit", junit).returncode == 2
    suite = ET.parse(junit).getroot()
    assert suite.get("errors") == "1" and suite.get("failures") == "0"
    assert int(suite.get("tests")) == len(load_cases(CASES)) + 1
    assert suite.find("testcase[@name='sections_broken']/error") is not None
