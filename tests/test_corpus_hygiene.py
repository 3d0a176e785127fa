"""`comparer corpus` reads only regular files inside DIR, and writes --out as a whole or not at all."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import JINGAN_PLAN, PDF_TEXT, QUFUBAN_2022, ROOT, SEEDS, WEB_TEXT, run_cli

BAD = ROOT / "fixtures" / "bad"


def _folder(tmp_path: Path) -> Path:
    """Return a corpus folder holding two real reports."""
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in (PDF_TEXT, QUFUBAN_2022):
        shutil.copy(seed, folder / seed.name)
    return folder


def _summary_skipped(out: Path) -> dict:
    """Return {path: reason} of the skipped files listed in summary.json."""
    return {item["path"]: item["reason"] for item in json.loads((out / "summary.json").read_text())["skipped"]}


def _documents(out: Path) -> list[str]:
    """Return the document paths of documents.csv."""
    import csv

    with open(out / "documents.csv", encoding="utf-8", newline="") as stream:
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


def test_a_symlink_out_of_the_folder_is_not_followed(tmp_path):
    folder, outside = _folder(tmp_path), tmp_path / "outside"
    outside.mkdir()
    shutil.copy(JINGAN_PLAN, outside / "secret.txt")
    (folder / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    done = _run(folder, tmp_path / "out")
    assert "outside the folder" in _skipped_line(done, "secret.txt")
    assert "outside the folder" in _skipped_line(done, "elsewhere")
    assert sorted(_documents(tmp_path / "out")) == sorted([PDF_TEXT.name, QUFUBAN_2022.name])
    assert "outside the folder" in _summary_skipped(tmp_path / "out")["secret.txt"]


def test_a_link_inside_the_folder_is_read(tmp_path):
    folder = _folder(tmp_path)
    (folder / "sub").mkdir()
    (folder / "sub" / "same.txt").symlink_to(folder / PDF_TEXT.name)
    _run(folder, tmp_path / "out")
    assert "sub/same.txt" in _documents(tmp_path / "out")


def test_a_fifo_is_skipped_without_hanging(tmp_path):
    folder = _folder(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe")
    done = _run(folder, tmp_path / "out", timeout=60)
    assert "named pipe" in _skipped_line(done, "pipe.txt") and "named pipe" in _skipped_line(done, "pipe")


def test_a_link_to_dev_zero_is_skipped(tmp_path):
    folder = _folder(tmp_path)
    (folder / "zero.txt").symlink_to("/dev/zero")
    done = _run(folder, tmp_path / "out", timeout=60)
    assert "outside the folder" in _skipped_line(done, "zero.txt")


def test_a_symlink_loop_is_skipped(tmp_path):
    folder = _folder(tmp_path)
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "cycle").symlink_to(folder, target_is_directory=True)
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    done = _run(folder, tmp_path / "out")
    for name in ("loop.txt", "a.txt", "b.txt"):
        assert "symbolic link loop" in _skipped_line(done, name)
    assert "folder" in _skipped_line(done, "cycle") and "broken" in _skipped_line(done, "dangling.txt")
    assert len(_documents(tmp_path / "out")) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_skipped(tmp_path):
    folder = _folder(tmp_path)
    shutil.copy(WEB_TEXT, folder / "locked.txt")
    (folder / "locked.txt").chmod(0)
    done = _run(folder, tmp_path / "out")
    assert "permission denied" in _skipped_line(done, "locked.txt")


def test_the_size_limit_is_an_option_and_an_environment_variable(tmp_path):
    folder = _folder(tmp_path)
    limit = min(PDF_TEXT.stat().st_size, QUFUBAN_2022.stat().st_size) - 1
    done = run_cli("corpus", folder, "--out", tmp_path / "a", "--no-cache", "--max-bytes", str(limit))
    assert done.returncode == 2 and "too large" in done.stderr and "--max-bytes" in done.stderr
    assert not (tmp_path / "a").exists()  # nothing readable: nothing written
    big = max(PDF_TEXT.stat().st_size, QUFUBAN_2022.stat().st_size) - 1
    done = _run(folder, tmp_path / "b", "--max-bytes", str(big))
    assert len(_documents(tmp_path / "b")) == 1 and "too large" in done.stderr
    env_run = __import__("subprocess").run(
        [__import__("sys").executable, "-m", "comparer", "corpus", str(folder), "--out", str(tmp_path / "c"), "--no-cache"],
        capture_output=True, text=True, env={**os.environ, "COMPARER_MAX_BYTES": str(big)}, timeout=120)
    assert len(_documents(tmp_path / "c")) == 1 and "too large" in env_run.stderr


def test_hidden_files_and_folders_are_still_ignored(tmp_path):
    folder = _folder(tmp_path)
    (folder / ".hidden").mkdir()
    shutil.copy(WEB_TEXT, folder / ".hidden" / "web.txt")
    shutil.copy(WEB_TEXT, folder / ".web.txt")
    done = _run(folder, tmp_path / "out")
    assert "web" not in done.stderr and len(_documents(tmp_path / "out")) == 2


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
    assert sorted(p.name for p in folder.iterdir()) == sorted([PDF_TEXT.name, QUFUBAN_2022.name])


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
    shutil.copy(JINGAN_PLAN, folder / JINGAN_PLAN.name)
    _run(folder, out)
    assert len(_documents(out)) == 3 and json.loads((out / "summary.json").read_text())["counts"]["documents"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]  # no temporary folder left


def test_an_interrupted_run_leaves_the_previous_output_whole(tmp_path, monkeypatch, capsys):
    from comparer.cli import main
    import comparer.report.corpus_html as corpus_html

    folder, out = _folder(tmp_path), tmp_path / "out"
    _run(folder, out)
    before = _tree(out)
    shutil.copy(JINGAN_PLAN, folder / JINGAN_PLAN.name)

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
