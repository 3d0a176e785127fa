"""--output and --junit write through devices, FIFOs and symlinks, honour the umask, and name the file on error."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import GUODONGBAN_2024, PDF_TEXT, ROOT, SEEDS, run_cli


def _with_umask(umask: int, *args, cwd: Path = ROOT):
    """Run the real CLI under a umask."""
    command = ["sh", "-c", f'umask {umask:03o}; exec "$0" -m comparer "$@"', sys.executable, *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=300)


def test_output_to_dev_null_keeps_the_device():
    done = run_cli("sections", PDF_TEXT, "--format", "json", "--output", "/dev/null")
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_to_a_device_node_writes_through_it(tmp_path):
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("cannot create device nodes here")
    done = run_cli("sections", PDF_TEXT, "--format", "json", "--output", node)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.lstat(node).st_mode) and not [p for p in tmp_path.iterdir() if p != node]


def test_output_to_a_fifo_writes_through_it(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = run_cli("sections", PDF_TEXT, "--format", "json", "--output", fifo, timeout=60)
    reader.join(30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["schema"].startswith("comparer.sections/")


def test_output_to_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    target, link = tmp_path / "real" / "result.json", tmp_path / "link.json"
    target.write_text("old\n")
    link.symlink_to(target)
    done = run_cli("sections", PDF_TEXT, "--format", "json", "--output", link)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["schema"].startswith("comparer.sections/")
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "real" / "new.json")
    assert run_cli("sections", PDF_TEXT, "--format", "json", "--output", dangling).returncode == 0
    assert dangling.is_symlink() and (tmp_path / "real" / "new.json").is_file()


def test_junit_to_special_files_writes_through(tmp_path):
    cases = tmp_path / "cases" / "one"
    cases.mkdir(parents=True)
    shutil.copy(PDF_TEXT, cases / "report.txt")
    (cases / "case.toml").write_text('command = "sections"\ninputs = ["report.txt"]\n', encoding="utf-8")
    assert run_cli("snapshot", tmp_path / "cases").returncode == 0
    target, link = tmp_path / "junit-real.xml", tmp_path / "junit.xml"
    target.write_text("")
    link.symlink_to(target)
    done = run_cli("check", tmp_path / "cases", "--junit", link)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and target.read_text().startswith("<?xml")
    assert run_cli("check", tmp_path / "cases", "--junit", "/dev/null").returncode == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_outputs_honour_the_umask(tmp_path, umask):
    output = tmp_path / "sections.json"
    done = _with_umask(umask, "sections", PDF_TEXT, "--format", "json", "--output", output)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(output.stat().st_mode) == 0o666 & ~umask


def test_corpus_outputs_honour_the_umask(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(GUODONGBAN_2024, folder / GUODONGBAN_2024.name)
    done = _with_umask(0o027, "corpus", folder, "--out", out, "--no-cache")
    assert done.returncode in (0, 1), done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o640}


def test_an_existing_file_keeps_its_mode(tmp_path):
    output = tmp_path / "private.json"
    output.write_text("")
    output.chmod(0o600)
    done = _with_umask(0o022, "sections", PDF_TEXT, "--format", "json", "--output", output)
    assert done.returncode == 0 and stat.S_IMODE(output.stat().st_mode) == 0o600


@pytest.mark.parametrize("target", ["/proc/comparer-test.json", "/dev/full", "/proc/version"])
def test_a_write_error_names_the_file(target):
    if target == "/dev/full" and not stat.S_ISCHR(os.stat(target).st_mode):
        pytest.skip("/dev/full is not a device here")
    done = run_cli("sections", PDF_TEXT, "--format", "json", "--output", target)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{target}: ") and len(done.stderr.splitlines()) == 1, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_a_corpus_write_error_names_the_folder():
    done = run_cli("corpus", SEEDS, "--out", "/proc/comparer-out", "--no-cache")
    assert done.returncode == 2 and done.stderr.startswith("/proc/comparer-out: "), done.stderr
    assert len(done.stderr.splitlines()) == 1
