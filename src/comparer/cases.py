"""Golden cases: run a command in-process on fixed inputs, snapshot its JSON, check it for findings.

A case is a folder holding `case.toml` (command, inputs, options) and `expected.json` (the
command's JSON output with volatile fields removed). Input paths are looked up in the case
folder first, then relative to each folder above it, then to the working folder (so
`fixtures/seeds/x.txt` works in the repo, in a copy of the fixtures tree, and for a copy of the
cases folder alone when run from the repo root).
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import field
from pathlib import Path
from typing import Callable, Optional

from .errors import ComparerError, InputError
from .record import record

__all__ = [
    "Case", "CaseOutcome", "CheckResult", "SnapshotResult", "COMMANDS", "VOLATILE",
    "register", "load_cases", "resolve_input", "repository_of", "run_case", "scrub", "snapshot", "check", "junit_xml", "dump_json",
]

CASE_FILE = "case.toml"
EXPECTED_FILE = "expected.json"
VOLATILE = frozenset({"engine", "version", "comparer_version", "elapsed", "seconds", "timing", "timings", "duration", "generated_at"})
COMMANDS: dict[str, Callable[[list[Path], dict], dict]] = {}


def register(name: str) -> Callable:
    """Register a function(inputs, options) -> dict as the runner of a case command."""
    def add(function: Callable[[list[Path], dict], dict]) -> Callable:
        COMMANDS[name] = function
        return function

    return add


@record
class Case:
    """One golden case: a command, its inputs as written in case.toml, and its options."""

    name: str
    folder: Path
    command: str
    inputs: tuple[str, ...]
    options: dict = field(default_factory=dict, hash=False, compare=False)
    description: str = ""
    ignore: tuple[str, ...] = ()  # extra keys this case treats as volatile

    @property
    def expected_path(self) -> Path:
        """Return the path of the case's expected.json."""
        return self.folder / EXPECTED_FILE


def load_cases(cases_dir: str | os.PathLike, name: Optional[str] = None) -> list[Case]:
    """Return the cases under cases_dir (folders with case.toml), or just the one named."""
    root = Path(cases_dir)
    if not root.is_dir():
        raise InputError(root, "no such cases folder")
    folders = sorted(p.parent for p in root.glob(f"*/{CASE_FILE}"))
    if name is not None:
        folders = [f for f in folders if f.name == name]
        if not folders:
            raise InputError(root / name, f"no such case (no {CASE_FILE})")
    if not folders:
        raise InputError(root, f"no cases (no */{CASE_FILE})")
    return [_load_case(folder) for folder in folders]


def _load_case(folder: Path) -> Case:
    """Read one case.toml into a Case."""
    path = folder / CASE_FILE
    try:
        data = _toml().loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(path, f"unreadable case file ({str(error).splitlines()[0]})") from None
    command, inputs = data.get("command"), data.get("inputs")
    if not isinstance(command, str) or not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs):
        raise InputError(path, "needs command = \"…\" and inputs = [\"…\", …]")
    options, ignore = data.get("options", {}), data.get("ignore", [])
    if not isinstance(options, dict) or not isinstance(ignore, list):
        raise InputError(path, "options must be a table and ignore a list of key names")
    return Case(folder.name, folder, command, tuple(inputs), dict(options), str(data.get("description", "")), tuple(map(str, ignore)))


def _toml():
    """Return the TOML parser (tomllib, or tomli before Python 3.11)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


def repository_of(folder: Path) -> Optional[Path]:
    """Return the nearest folder at or above folder holding .git or pyproject.toml (the repository), if any."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists() or (candidate / "pyproject.toml").is_file():
            return candidate
    return None


def resolve_input(case: Case, spec: str) -> Path:
    """Find an input: in the case folder, then in each folder above it up to the repository, then the working folder.

    Whatever the spelling, the file (links followed) must lie inside the case folder or the repository
    holding the cases (see repository_of; without one, the folder holding the case folders).
    """
    found = _find_input(case, spec)
    if found is None:
        raise InputError(spec, "input not found (looked in the case folder, the folders above it up to the repository and the working folder)")
    return found


def _find_inputs(case: Case) -> None:
    """Refuse a case whose inputs lead out of the case folder and the repository."""
    for spec in case.inputs:
        _find_input(case, spec)


def _find_input(case: Case, spec: str) -> Optional[Path]:
    """Return the first existing candidate for an input (None: none), refusing one that resolves out of bounds."""
    folder = case.folder.resolve()
    repository = repository_of(folder) or folder.parent
    if os.path.isabs(spec):
        candidates = [Path(spec)]
    else:
        above = [parent for parent in folder.parents if parent == repository or repository in parent.parents]
        candidates = [folder / spec] + [parent / spec for parent in above] + [Path.cwd() / spec]
    for candidate in candidates:
        if candidate.exists() or candidate.is_symlink():
            real = candidate.resolve()
            if not any(real == root or root in real.parents for root in (folder, repository)):
                raise InputError(folder / CASE_FILE, f"input {spec!r} is outside the case folder and the repository "
                                                     f"({repository}); refused")
            return candidate
    return None


def run_case(case: Case) -> dict:
    """Run a case's command in-process and return its JSON output with volatile fields removed."""
    runner = COMMANDS.get(case.command)
    if runner is None:
        raise InputError(case.folder / CASE_FILE, f"unknown command {case.command!r} (known: {', '.join(sorted(COMMANDS))})")
    paths = [resolve_input(case, spec) for spec in case.inputs]
    data = runner(paths, dict(case.options))
    names = {str(path): spec for path, spec in zip(paths, case.inputs)}
    return json.loads(json.dumps(scrub(data, names, VOLATILE | set(case.ignore))))


def scrub(value: object, names: dict[str, str], volatile: frozenset | set = VOLATILE) -> object:
    """Drop volatile keys; turn input paths into their case.toml spelling, other absolute paths into basenames."""
    if isinstance(value, dict):
        return {k: scrub(v, names, volatile) for k, v in value.items() if k not in volatile}
    if isinstance(value, (list, tuple)):
        return [scrub(v, names, volatile) for v in value]
    if isinstance(value, str) and value in names:
        return names[value]
    if isinstance(value, str) and value.startswith("/") and "\n" not in value and Path(value).exists():
        return Path(value).name
    return value


def dump_json(data: dict) -> str:
    """Return the stable JSON text of an expected.json."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# ---- results ------------------------------------------------------------------------------------

_SHOWN = 50


@record
class CaseOutcome:
    """What happened to one case: ok, differ (with findings), error, or a snapshot status."""

    name: str
    command: str
    status: str  # check: ok | differ | error; snapshot: created | updated | unchanged | error
    findings: tuple[str, ...] = ()
    error: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        """Return the JSON form of one case outcome."""
        return {"name": self.name, "command": self.command, "status": self.status,
                "findings": list(self.findings), "error": self.error or None, "seconds": round(self.seconds, 3)}

    def lines(self) -> list[str]:
        """Return the findings text: one line per finding (at most 50), or the error."""
        if self.error:
            return [f"{self.name}: error: {self.error}"]
        shown = [f"{self.name}: {finding}" for finding in self.findings[:_SHOWN]]
        more = len(self.findings) - _SHOWN
        return shown + ([f"{self.name}: … and {more} more findings"] if more > 0 else [])


@record
class _CasesResult:
    """Outcomes of a run over a cases folder; subclasses name the kind and the exit code."""

    cases_dir: str
    cases: tuple[CaseOutcome, ...]

    KIND = ""
    SCHEMA = ""

    def summary(self) -> dict:
        """Count the cases by status."""
        counts = {"cases": len(self.cases)}
        for outcome in self.cases:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        return counts

    def to_dict(self) -> dict:
        """Return the JSON form tagged with the result's schema."""
        return {"schema": self.SCHEMA, "cases_dir": self.cases_dir,
                "cases": [c.to_dict() for c in self.cases], "summary": self.summary()}

    def rows(self) -> list[dict]:
        """Return one row per finding (or one per case without findings)."""
        rows = []
        for o in self.cases:
            texts = [line.split(": ", 1)[1] for line in o.lines()] or [""]
            rows += [{"case": o.name, "status": o.status, "finding": text} for text in texts]
        return rows


@record
class CheckResult(_CasesResult):
    """The outcome of `comparer check`: each case matches its expected.json, differs, or errored."""

    KIND = "check"
    SCHEMA = "comparer.check/1"

    @property
    def exit_code(self) -> int:
        """Return 0 when every case matches, 1 when some differ, 2 when a case errored."""
        statuses = {c.status for c in self.cases}
        return 2 if "error" in statuses else 1 if "differ" in statuses else 0


@record
class SnapshotResult(_CasesResult):
    """The outcome of `comparer snapshot`: which expected.json files were created, updated or kept."""

    KIND = "snapshot"
    SCHEMA = "comparer.snapshot/1"

    @property
    def exit_code(self) -> int:
        """Return 2 when a case could not be run, else 0."""
        return 2 if any(c.status == "error" for c in self.cases) else 0


# ---- snapshot and check -------------------------------------------------------------------------


def snapshot(cases_dir: str | os.PathLike, case: Optional[str] = None) -> SnapshotResult:
    """Write or refresh expected.json of every case (or one), atomically; keep unchanged files."""
    outcomes = tuple(_snapshot_one(c) for c in load_cases(cases_dir, case))
    return SnapshotResult(str(cases_dir), outcomes)


def _snapshot_one(case: Case) -> CaseOutcome:
    """Run one case and write its expected.json when it is new or changed."""
    from .case_findings import findings
    from .output import write_atomic

    start = time.perf_counter()
    try:
        actual = run_case(case)
    except Exception as error:  # noqa: BLE001 - one broken case must not hide the others
        return CaseOutcome(case.name, case.command, "error", error=_describe(error), seconds=time.perf_counter() - start)
    old = _previous(case)
    changes = tuple(findings(case.command, old, actual)) if old is not None else ()
    if old != actual:
        write_atomic(case.expected_path, dump_json(actual))
    status = "created" if old is None else "updated" if old != actual else "unchanged"
    return CaseOutcome(case.name, case.command, status, changes, seconds=time.perf_counter() - start)


def check(cases_dir: str | os.PathLike) -> CheckResult:
    """Re-run every case and compare it with its expected.json."""
    return CheckResult(str(cases_dir), tuple(_check_one(c) for c in load_cases(cases_dir)))


def _check_one(case: Case) -> CaseOutcome:
    """Run one case and return its findings against expected.json."""
    from .case_findings import findings

    start = time.perf_counter()
    try:
        _find_inputs(case)  # an input out of bounds is refused before anything else is said
        expected = _read_expected(case)
        actual = run_case(case)
    except Exception as error:  # noqa: BLE001 - one broken case must not hide the others
        return CaseOutcome(case.name, case.command, "error", error=_describe(error), seconds=time.perf_counter() - start)
    found = tuple(findings(case.command, expected, actual))
    status = "differ" if expected != actual else "ok"
    found = found or (("output differs from expected.json",) if status == "differ" else ())
    return CaseOutcome(case.name, case.command, status, found, seconds=time.perf_counter() - start)


def _previous(case: Case) -> Optional[dict]:
    """Return a case's current expected.json, or None when it is missing or unreadable."""
    try:
        return _read_expected(case)
    except InputError:
        return None


def _read_expected(case: Case) -> dict:
    """Read a case's expected.json or raise InputError."""
    path = case.expected_path
    if not path.exists():
        raise InputError(path, f"missing (run: comparer snapshot {case.folder.parent} --case {case.name})")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise InputError(path, f"unreadable expected.json ({str(error).splitlines()[0]})") from None


def _describe(error: Exception) -> str:
    """Return a one-line description of an error raised by a case."""
    if isinstance(error, ComparerError):
        return f"{error.path}: {error.problem}"
    return f"{type(error).__name__}: {error}".splitlines()[0]


def junit_xml(result: CheckResult) -> str:
    """Return JUnit XML: one <testcase> per case, <failure>/<error> holding the findings text."""
    from xml.etree import ElementTree as ET

    counts = result.summary()
    suite = ET.Element("testsuite", name="comparer.check", tests=str(len(result.cases)),
                       failures=str(counts.get("differ", 0)), errors=str(counts.get("error", 0)),
                       time=f"{sum(c.seconds for c in result.cases):.3f}")
    for outcome in result.cases:
        node = ET.SubElement(suite, "testcase", classname=f"comparer.check.{outcome.command}",
                             name=outcome.name, time=f"{outcome.seconds:.3f}")
        if outcome.status != "ok":
            tag = "error" if outcome.status == "error" else "failure"
            message = outcome.error or f"{len(outcome.findings)} findings"
            ET.SubElement(node, tag, message=message).text = "\n".join(outcome.lines())
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


# ---- command runners ----------------------------------------------------------------------------


def _reports(paths: list[Path], count: int, command: str) -> list:
    """Read and parse exactly `count` documents for a command."""
    from .load import load_report

    if len(paths) != count:
        raise InputError(command, f"needs {count} inputs, case gives {len(paths)}")
    return [load_report(path) for path in paths]


@register("diff")
def _run_diff(paths: list[Path], options: dict) -> dict:
    """Run `comparer diff OLD NEW` in-process."""
    from .diff import diff_reports

    old, new = _reports(paths, 2, "diff")
    return diff_reports(old, new, options.get("engine")).to_dict()


@register("sections")
def _run_sections(paths: list[Path], options: dict) -> dict:
    """Run `comparer sections FILE` in-process."""
    from .sections import SectionsResult

    (report,) = _reports(paths, 1, "sections")
    return SectionsResult(report).to_dict()


@register("commitments")
def _run_commitments(paths: list[Path], options: dict) -> dict:
    """Run `comparer commitments FILE` in-process."""
    from .commitments import CommitmentsResult, extract_commitments

    (report,) = _reports(paths, 1, "commitments")
    return CommitmentsResult(report, tuple(extract_commitments(report))).to_dict()


@register("followup")
def _run_followup(paths: list[Path], options: dict) -> dict:
    """Run `comparer followup PLAN LATER…` in-process."""
    from .followup import follow_up

    if len(paths) < 2:
        raise InputError("followup", f"needs a plan and at least one later report, case gives {len(paths)} inputs")
    plan, *later = _reports(paths, len(paths), "followup")
    return follow_up(plan, later).to_dict()


@register("align")
def _run_align(paths: list[Path], options: dict) -> dict:
    """Run `comparer align A B…` in-process."""
    from .align import align_documents

    if len(paths) < 2:
        raise InputError("align", f"needs at least two inputs, case gives {len(paths)}")
    return align_documents(_reports(paths, len(paths), "align")).to_dict()


@register("repeats")
def _run_repeats(paths: list[Path], options: dict) -> dict:
    """Run `comparer repeats FILE…` in-process."""
    from .repeats import find_repeats

    return find_repeats(_reports(paths, len(paths), "repeats")).to_dict()


@register("targets")
def _run_targets(paths: list[Path], options: dict) -> dict:
    """Run `comparer targets PLAN LATER…` in-process."""
    from .followup import check_inputs, follow_targets

    if len(paths) < 2:
        raise InputError("targets", f"needs a plan and at least one later report, case gives {len(paths)} inputs")
    plan, *later = _reports(paths, len(paths), "targets")
    return follow_targets(plan, later, check_inputs(plan, later)).to_dict()
