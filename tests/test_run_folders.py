"""Run folders of killed corpus runs: removed only when comparer marked them and their process is gone."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from comparer.corpus.store import _SPILL_MARKER, _remove_orphans


def _dead_pid() -> int:
    """Return the pid of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _folder(temp, name: str, marker) -> object:
    folder = temp / name
    folder.mkdir()
    (folder / "rows.jsonl").write_text("{}\n", "utf-8")
    if marker is not None:
        (folder / _SPILL_MARKER).write_text(json.dumps(marker), "utf-8")
    return folder


def test_only_marked_folders_of_ended_processes_are_removed(tmp_path):
    dead = _folder(tmp_path, "comparer-run-1-a", {"schema": "comparer.run/1", "pid": _dead_pid()})
    running = _folder(tmp_path, "comparer-run-2-b", {"schema": "comparer.run/1", "pid": os.getpid()})
    unmarked = _folder(tmp_path, "comparer-run-3-c", None)
    odd = _folder(tmp_path, "comparer-run-4-d", ["comparer.run/1", 1])
    other_schema = _folder(tmp_path, "comparer-run-5-e", {"schema": "someone.else/1", "pid": _dead_pid()})
    _remove_orphans(tmp_path)
    assert not dead.exists()
    assert running.exists() and unmarked.exists() and odd.exists() and other_schema.exists()


def test_a_link_named_like_a_run_folder_is_not_followed(tmp_path):
    outside = _folder(tmp_path, "users-data", {"schema": "comparer.run/1", "pid": _dead_pid()})
    temp = tmp_path / "tmp"
    temp.mkdir()
    (temp / "comparer-run-9-z").symlink_to(outside, target_is_directory=True)
    _remove_orphans(temp)
    assert (outside / "rows.jsonl").exists()
