"""Warm start: big input files parsed while the command line loads, taken only when still the same, never left running."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from comparer import warm
from comparer.load import load_report
from comparer.options import DEFAULT
from comparer.parallel import cores, map_forked

from conftest import PDF_TEXT, ROOT, WEB_TEXT

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform"),
    pytest.mark.skipif(cores() < 2, reason="one core: nothing is started"),
]


def _big(folder: Path, name: str, source: Path, change: str = "", times: int = 1) -> Path:
    """Write a copy of source repeated past the parallel limit (times over; one figure changed when asked)."""
    text = source.read_text("utf-8")
    text = text * (times * DEFAULT.diff.parallel_min_bytes // len(text.encode()) + 1)
    path = folder / name
    path.write_text(text.replace("7009", change, 1) if change else text, "utf-8")
    return path


@pytest.fixture
def started():
    """Clean up whatever a test started (as the program does at exit)."""
    yield
    warm._drop()


def test_big_files_started_early_give_the_reports_parsed_here(tmp_path, started):
    old, new = _big(tmp_path, "old.txt", PDF_TEXT), _big(tmp_path, "new.txt", WEB_TEXT)
    warm.start(["diff", str(old), str(new), "--format", "json"])
    taken = warm.take([str(old), str(new)])
    assert set(taken) == {0, 1}
    parsed = map_forked(lambda _: pytest.fail("parsed again"), [str(old), str(new)], [0, 0], 1, started=taken)
    assert parsed == [load_report(old), load_report(new)]


def test_a_file_changed_since_the_start_is_parsed_again(tmp_path, started):
    old, new = _big(tmp_path, "old.txt", PDF_TEXT), _big(tmp_path, "new.txt", WEB_TEXT)
    warm.start([str(old), str(new)])
    with new.open("a", encoding="utf-8") as file:
        file.write("新增一句。\n")
    assert set(warm.take([str(old), str(new)])) == {0}


@pytest.mark.parametrize("other", ["small", "folder", "fifo", "device", "missing", "url"])
def test_nothing_starts_without_two_big_regular_files(tmp_path, started, other):
    big = _big(tmp_path, "big.txt", PDF_TEXT)
    paths = {"small": PDF_TEXT, "folder": tmp_path, "device": Path("/dev/zero"), "missing": tmp_path / "gone.txt",
             "url": "https://www.example.gov.cn/report.html", "fifo": tmp_path / "fifo"}
    if other == "fifo":
        os.mkfifo(paths["fifo"])  # never opened: a reader would wait for a writer forever
    warm.start([str(big), str(paths[other])])
    assert warm.take([str(big), str(paths[other])]) == {} and not warm._parser


def test_one_job_starts_nothing(tmp_path, started, monkeypatch):
    monkeypatch.setenv("COMPARER_JOBS", "1")
    warm.start([str(_big(tmp_path, "a.txt", PDF_TEXT)), str(_big(tmp_path, "b.txt", WEB_TEXT))])
    assert not warm._parser


def test_a_result_nobody_takes_is_dropped_with_its_processes(tmp_path):
    warm.start([str(_big(tmp_path, "a.txt", PDF_TEXT)), str(_big(tmp_path, "b.txt", WEB_TEXT))])
    assert warm._parser
    warm._drop()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left, running or unreaped


def test_the_cli_takes_the_warm_reports_and_reports_the_same_drift(cli, tmp_path):
    old, new = _big(tmp_path, "old.txt", PDF_TEXT), _big(tmp_path, "new.txt", PDF_TEXT, change="7010")
    outputs = {jobs: cli("diff", old, new, "--format", "json", env={"COMPARER_JOBS": jobs}) for jobs in ("1", "2")}
    assert all(done.returncode == 1 for done in outputs.values()), outputs["2"].stderr
    assert outputs["1"].stdout == outputs["2"].stdout and '"7010' in outputs["2"].stdout


def test_the_command_line_takes_the_warm_reports(tmp_path, started, monkeypatch):
    from comparer import cli

    old, new = _big(tmp_path, "old.txt", PDF_TEXT), _big(tmp_path, "new.txt", WEB_TEXT)
    warm.start([str(old), str(new)])
    monkeypatch.setattr(cli, "_report", lambda source: pytest.fail(f"{source} parsed again"))
    assert cli._reports([str(old), str(new)]) == [load_report(old), load_report(new)]


def test_killing_the_program_ends_its_parsing_processes_at_once(tmp_path):
    """Parsing 8 MB takes seconds; the processes must end with the program, not when they finish."""
    old, new = _big(tmp_path, "old.txt", PDF_TEXT, times=16), _big(tmp_path, "new.txt", WEB_TEXT, times=16)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    main = subprocess.Popen([sys.executable, "-c", "import sys, time; from comparer import warm; warm.start(sys.argv[1:]); time.sleep(60)",
                             str(old), str(new)], env=env)
    try:
        family = _descendants(main.pid, wait_for=2)
        assert len(family) == 2  # the parsing process and its helper for the second file
    finally:
        main.send_signal(signal.SIGKILL)
        main.wait()
    deadline = time.monotonic() + 1
    while _alive(family) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(family)


def _descendants(pid: int, wait_for: int) -> set[int]:
    """Return the processes below pid, waiting (up to 10 s) until there are wait_for of them."""
    deadline, found = time.monotonic() + 10, set()
    while len(found) < wait_for and time.monotonic() < deadline:
        parents = {int(p): _parent(int(p)) for p in os.listdir("/proc") if p.isdigit()}
        found, frontier = set(), {pid}
        while frontier:
            frontier = {child for child, parent in parents.items() if parent in frontier} - found
            found |= frontier
        time.sleep(0.02)
    return found


def _parent(pid: int) -> int:
    """Return the parent pid of a process (0 when it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def _alive(pids: set[int]) -> bool:
    """Return True while any of pids runs (zombies count as ended)."""
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            return True
    return False


def test_a_warm_result_cut_short_is_parsed_here(tmp_path):
    """A pipe that ends mid-result (its writer killed) is no error: the file is parsed in this process."""
    path = _big(tmp_path, "a.txt", PDF_TEXT)
    read_end, write_end = os.pipe()
    os.write(write_end, b"\x80\x05\x95")  # the start of a pickle, nothing more
    os.close(write_end)
    assert map_forked(load_report, [path], [0], 1, started={0: read_end}) == [load_report(path)]
