"""Incremental corpus runs: adding a report recomputes only the per-pair tasks it touches."""
from __future__ import annotations

import re
import shutil

from conftest import ROOT
from test_corpus import _tables

CORPUS = ROOT / "fixtures" / "corpus"


def _reused(stderr: str) -> tuple[int, int]:
    """Return (pair tasks from the cache, all pair tasks) from the corpus summary line."""
    match = re.search(r"(\d+) of (\d+) pair tasks from cache", stderr)
    assert match, stderr
    return int(match.group(1)), int(match.group(2))


def test_adding_a_report_of_a_new_region_recomputes_only_its_region_and_the_templates(cli, tmp_path):
    folder, cache = tmp_path / "reports", tmp_path / "cache"
    folder.mkdir()
    for name in ("shenzhen-luohu_2023", "shenzhen-luohu_2024", "shenzhen-yantian_2023", "shenzhen-yantian_2024"):
        shutil.copy(CORPUS / f"{name}_gongzuobaogao.txt", folder)
    first = cli("corpus", folder, "--out", tmp_path / "a", "--cache", cache)
    assert _reused(first.stderr) == (0, 5)  # templates, 2 regions, 2 links
    shutil.copy(CORPUS / "shenzhen-longgang_2024_gongzuobaogao.txt", folder)
    second = cli("corpus", folder, "--out", tmp_path / "b", "--cache", cache)
    assert _reused(second.stderr) == (4, 6)  # only the templates (all reports) and the new region's repeats run
    fresh = cli("corpus", folder, "--out", tmp_path / "c", "--no-cache")
    assert _tables(tmp_path / "b") == _tables(tmp_path / "c")


def _pair_result(entry) -> bool:
    """Return whether a cache entry holds a per-pair task's rows (a list of row dicts, or a link's two lists)."""
    import json
    import zlib

    data = json.loads(zlib.decompress(entry.read_bytes())).get("data")
    if not isinstance(data, list) or not data:
        return False
    return isinstance(data[0], dict) or (len(data) == 2 and all(isinstance(part, list) and part and isinstance(part[0], dict)
                                                                  for part in data))


def test_damaged_pair_entries_are_run_again_and_give_the_same_tables(cli, tmp_path):
    folder, cache = tmp_path / "reports", tmp_path / "cache"
    folder.mkdir()
    for name in ("shenzhen-luohu_2023", "shenzhen-luohu_2024", "shenzhen-yantian_2023", "shenzhen-yantian_2024"):
        shutil.copy(CORPUS / f"{name}_gongzuobaogao.txt", folder)
    cli("corpus", folder, "--out", tmp_path / "a", "--cache", cache)
    damaged = [entry for entry in (cache / "comparer-cache").rglob("*.json.z") if _pair_result(entry)]
    assert damaged
    for entry in damaged:
        entry.write_bytes(b"")  # found by name, damaged when read: run after the tasks without an entry
    second = cli("corpus", folder, "--out", tmp_path / "b", "--cache", cache)
    assert _reused(second.stderr) == (5 - len(damaged), 5)
    assert _tables(tmp_path / "b") == _tables(tmp_path / "a")
