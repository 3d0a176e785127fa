"""`comparer corpus` reads only regular files inside DIR, and writes --out as a whole or not at all."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GUODONGBAN_2024, JINGAN_PLAN, QUFUBAN_2022, ROOT, WEB_TEXT, run_cli

BAD = ROOT / "fixtures" / "bad"


def _folder(tmp_path: Path) -> Path:
    """Return a corpus folder holding two small real reports."""
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in (GUODONGBAN_2024, QUFUBAN_2022):
        shutil.copy(seed, folder / seed.name)
    return folder


def _summary_skipped(out: Path) -> dict:
    """Return {path: reason} of the skipped files listed in summary.json."""
    return {item["path"]: item["reason"] for item in json.loads((out / "summary.json").read_text())["skipped"]}


def _documents(out: Path) -> list[str]:
    """Return the document paths of documents.csv."""
    import csv

    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as stream:
        return [row["path"] for row in csv.DictReader(stream)]


def _run(folder: Path, out: Path, *options: str, timeout: int = 120):
    """Run corpus on folder without a cache and check it ended normally."""
    done = run_cli("corpus", folder, "--out", out, "--no-cache", *options, timeout=timeout)
    assert done.returncode in (0, 1), done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    return done


def _skipped_line(done, name: str) -> str:
    """Return the one stderr line that reports a skipped file."""
    lines = [line for line in done.stderr.splitlines() if line.startswith(f"{name}: skipped: ")]
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Run corpus once (with a timeout: a FIFO must not hang it) on a folder of hostile entries; return (run, out)."""
    tmp = tmp_path_factory.mktemp("hostile")
    folder, outside = _folder(tmp), tmp / "outside"
    outside.mkdir()
    shutil.copy(JINGAN_PLAN, outside / "secret.txt")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")  # a report outside DIR
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "cycle").symlink_to(folder, target_is_directory=True)
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "same.txt").symlink_to(folder / GUODONGBAN_2024.name)  # a link inside DIR: read
    (folder / ".hidden").mkdir()
    shutil.copy(WEB_TEXT, folder / ".hidden" / "web.txt")
    shutil.copy(WEB_TEXT, folder / ".web.txt")
    if os.geteuid() != 0:
        shutil.copy(WEB_TEXT, folder / "locked.txt")
        (folder / "locked.txt").chmod(0)
    return _run(folder, tmp / "out", timeout=60), tmp / "out"


def test_a_symlink_out_of_the_folder_is_not_followed(hostile):
    done, out = hostile
    assert "outside the folder" in _skipped_line(done, "secret.txt")
    assert "outside the folder" in _skipped_line(done, "elsewhere")
    assert "outside the folder" in _summary_skipped(out)["secret.txt"]
    assert "静安" not in (out / "documents.csv").read_text(encoding="utf-8")


def test_a_link_inside_the_folder_is_read(hostile):
    assert sorted(_documents(hostile[1])) == sorted([GUODONGBAN_2024.name, QUFUBAN_2022.name, "sub/same.txt"])


def test_a_fifo_is_skipped_without_hanging(hostile):
    done, _ = hostile
    assert "named pipe" in _skipped_line(done, "pipe.txt") and "named pipe" in _skipped_line(done, "pipe")


def test_a_link_to_dev_zero_is_skipped(hostile):
    assert "outside the folder" in _skipped_line(hostile[0], "zero.txt")


def test_a_symlink_loop_is_skipped(hostile):
    done, _ = hostile
    for name in ("loop.txt", "a.txt", "b.txt"):
        assert "symbolic link loop" in _skipped_line(done, name)
    assert "folder" in _skipped_line(done, "cycle") and "broken" in _skipped_line(done, "dangling.txt")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_skipped(hostile):
    assert "permission denied" in _skipped_line(hostile[0], "locked.txt")


def test_hidden_files_and_folders_are_still_ignored(hostile):
    assert "web.txt" not in hostile[0].stderr and ".hidden" not in hostile[0].stderr


def test_the_size_limit_is_an_option_and_an_environment_variable(tmp_path):
    folder = _folder(tmp_path)
    limit = max(GUODONGBAN_2024.stat().st_size, QUFUBAN_2022.stat().st_size) - 1
    done = _run(folder, tmp_path / "a", "--max-bytes", str(limit))
    assert len(_documents(tmp_path / "a")) == 1 and "--max-bytes" in _skipped_line(done, QUFUBAN_2022.name)
    small = min(GUODONGBAN_2024.stat().st_size, QUFUBAN_2022.stat().st_size) - 1
    env_run = subprocess.run(
        [sys.executable, "-m", "comparer", "corpus", str(folder), "--out", str(tmp_path / "b"), "--no-cache"],
        capture_output=True, text=True, env={**os.environ, "COMPARER_MAX_BYTES": str(small)}, timeout=120)
    assert env_run.returncode == 2 and env_run.stderr.count("too large") == 2
    assert not (tmp_path / "b").exists()  # nothing readable: nothing written


# --out


def _tree(root: Path) -> dict:
    """Return {relative path: bytes or 'dir'} under root."""
    return {p.relative_to(root).as_posix(): ("dir" if p.is_dir() else p.read_bytes()) for p in sorted(root.rglob("*"))}


def test_out_inside_the_folder_must_be_fresh(tmp_path):
    folder = _folder(tmp_path)
    (folder / "sub").mkdir()
    shutil.copy(WEB_TEXT, folder / "sub" / "web.txt")
    (folder / "sub" / "summary.json").write_text("{}")
    before = _tree(folder)
    done = run_cli("corpus", folder, "--out", folder / "sub", "--no-cache")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1 and "sub" in done.stderr
    assert _tree(folder) == before
    done = run_cli("corpus", folder, "--out", folder / "results", "--no-cache")
    assert done.returncode in (0, 1), done.stderr
    assert {k: v for k, v in _tree(folder).items() if not k.startswith("results")} == before
    assert len(_documents(folder / "results")) == 3


def test_out_holding_the_corpus_folder_is_refused(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    folder = _folder(work)
    done = run_cli("corpus", folder, "--out", work, "--no-cache")
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == sorted([GUODONGBAN_2024.name, QUFUBAN_2022.name])


def test_out_that_is_not_a_comparer_output_is_never_replaced(tmp_path):
    folder, out = _folder(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    (out / "summary.json").write_text("{}")
    done = run_cli("corpus", folder, "--out", out, "--no-cache")
    assert done.returncode == 2 and "thesis.docx" in done.stderr and len(done.stderr.splitlines()) == 1
    assert _tree(out) == {"thesis.docx": b"years of work", "summary.json": b"{}"}


def test_a_previous_output_is_replaced_as_a_whole(tmp_path):
    folder, out = _folder(tmp_path), tmp_path / "out"
    _run(folder, out)
    shutil.copy(WEB_TEXT, folder / WEB_TEXT.name)
    _run(folder, out)
    assert len(_documents(out)) == 3 and json.loads((out / "summary.json").read_text())["counts"]["documents"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]  # no temporary folder left


def test_an_interrupted_run_leaves_the_previous_output_whole(tmp_path, monkeypatch, capsys):
    from comparer.cli import main
    import comparer.report.corpus_html as corpus_html

    folder, out = _folder(tmp_path), tmp_path / "out"
    _run(folder, out)
    before = _tree(out)
    shutil.copy(WEB_TEXT, folder / WEB_TEXT.name)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(corpus_html, "to_html", broken)
    with pytest.raises(SystemExit) as stop:
        main(["corpus", str(folder), "--out", str(out), "--no-cache"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].startswith(str(out / "report.html") + ": ")
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_nothing_readable_writes_nothing(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("empty.txt", "scanned.pdf"):
        shutil.copy(BAD / name, folder / name)
    done = run_cli("corpus", folder, "--out", tmp_path / "out", "--no-cache")
    assert done.returncode == 2 and "no readable report" in done.stderr
    assert not (tmp_path / "out").exists() and done.stdout == ""
