"""Big inputs parsed side by side: same results as one after the other, errors carried back, no child left."""
from __future__ import annotations

import os
import pickle
import time

import pytest

from comparer.errors import InputError
from comparer.load import load_report
from comparer.options import DEFAULT
from comparer.parallel import _cores, map_forked

from conftest import GUODONGBAN_2024, PDF_TEXT, WEB_TEXT

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")


def _no_children_left() -> bool:
    """Return True when this process has no child process (running or unreaped)."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@needs_fork
@pytest.mark.skipif(_cores() < 2, reason="one core: nothing is forked")
def test_big_inputs_after_the_first_run_in_a_child():
    pids = map_forked(lambda _: os.getpid(), ["a", "b"], [10, 10], min_bytes=10)
    assert pids[0] == os.getpid() and pids[1] != os.getpid()
    assert _no_children_left()


def test_one_job_keeps_big_inputs_in_this_process():
    assert map_forked(lambda _: os.getpid(), ["a", "b"], [10, 10], min_bytes=10, jobs=1) == [os.getpid()] * 2


def test_small_inputs_stay_in_this_process():
    assert map_forked(lambda _: os.getpid(), ["a", "b"], [9, 10], min_bytes=10) == [os.getpid()] * 2


@needs_fork
def test_forked_reports_equal_the_ones_parsed_here():
    paths = [PDF_TEXT, WEB_TEXT, GUODONGBAN_2024]
    forked = map_forked(load_report, paths, [1] * len(paths), min_bytes=0)
    assert forked == [load_report(path) for path in paths]


@needs_fork
def test_an_input_error_in_the_child_is_raised_here_with_its_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError) as raised:
        map_forked(load_report, [PDF_TEXT, empty], [1, 1], min_bytes=0)
    assert raised.value.path == str(empty) and raised.value.problem
    assert _no_children_left()


@needs_fork
def test_a_crash_in_the_child_is_raised_here_naming_it():
    def work(item):
        if item == "bad":
            raise ValueError("broken on purpose")
        return item

    with pytest.raises(RuntimeError, match="ValueError: broken on purpose"):
        map_forked(work, ["good", "bad"], [1, 1], min_bytes=0)
    assert _no_children_left()


@needs_fork
def test_a_failure_here_stops_the_children_at_once():
    def work(item):
        if item == "first":
            raise InputError("first.txt", "unreadable")
        time.sleep(30)
        return item

    started = time.monotonic()
    with pytest.raises(InputError):
        map_forked(work, ["first", "slow"], [1, 1], min_bytes=0)
    assert time.monotonic() - started < 10
    assert _no_children_left()


def test_errors_survive_pickling_with_their_file_and_problem():
    error = pickle.loads(pickle.dumps(InputError("a.pdf", "encrypted PDF")))
    assert (type(error), error.path, error.problem, str(error)) == (InputError, "a.pdf", "encrypted PDF", "a.pdf: encrypted PDF")


def test_cli_diff_of_two_big_files_names_the_bad_second_one(cli, tmp_path):
    """Both inputs are above the parallel limit, so the second is parsed in a child: its error still reads as usual."""
    big = tmp_path / "big.txt"
    text = PDF_TEXT.read_text("utf-8")
    big.write_text(text * (DEFAULT.diff.parallel_min_bytes // len(text.encode()) + 1), "utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * (DEFAULT.diff.parallel_min_bytes // 256 + 1))
    assert min(big.stat().st_size, binary.stat().st_size) >= DEFAULT.diff.parallel_min_bytes
    done = cli("diff", big, binary)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and str(binary) in done.stderr and "Traceback" not in done.stderr


def test_cli_diff_with_one_job_parses_in_one_process_with_the_same_result(cli, tmp_path):
    """COMPARER_JOBS=1 turns the side-by-side parsing off; the drift is the same either way."""
    text = PDF_TEXT.read_text("utf-8") * (DEFAULT.diff.parallel_min_bytes // len(PDF_TEXT.read_bytes()) + 1)
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(text, "utf-8")
    new.write_text(text.replace("7009", "7010", 1), "utf-8")
    outputs = {}
    for jobs in ("1", "2"):
        done = cli("diff", old, new, "--format", "json", env={"COMPARER_JOBS": jobs})
        assert done.returncode == 1, done.stderr
        outputs[jobs] = done.stdout
    assert outputs["1"] == outputs["2"] and '"7010' in outputs["1"]


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_cli_refuses_a_bad_comparer_jobs(cli, value):
    done = cli("diff", PDF_TEXT, WEB_TEXT, env={"COMPARER_JOBS": value})
    assert done.returncode == 2 and done.stderr.startswith("COMPARER_JOBS: not a positive number")


@needs_fork
def test_a_refused_fork_parses_the_input_here(monkeypatch):
    def refuse():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    assert map_forked(lambda _: os.getpid(), ["a", "b"], [10, 10], min_bytes=10) == [os.getpid()] * 2
