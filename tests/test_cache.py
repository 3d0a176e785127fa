"""The corpus cache holds data only (records codec), lives in a folder comparer owns, and deletes nothing else."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import shutil
import zlib
from pathlib import Path
from typing import Optional, Union

import pytest
from hypothesis import given, strategies as st

from conftest import GUODONGBAN_2024, JINGAN_PLAN, PDF_TEXT, QUFUBAN_2022, ROOT, SEEDS, WEB_TEXT, run_cli

CORPUS = ROOT / "fixtures" / "corpus"
REAL_FILES = (PDF_TEXT, WEB_TEXT, QUFUBAN_2022, GUODONGBAN_2024, JINGAN_PLAN,
              CORPUS / "guowuyuan_2023_gongzuobaogao.txt", CORPUS / "shenzhen-luohu_2024_gongzuobaogao.txt",
              ROOT / "fixtures" / "generated" / "changning_2024_report.pdf")


def _env(tmp_path: Path) -> dict:
    """Return an environment whose user cache folder is inside tmp_path."""
    return {"XDG_CACHE_HOME": str(tmp_path / "xdg-cache")}


def _cli(*args, cwd: Optional[Path] = None, env: Optional[dict] = None):
    """Run the real CLI with extra environment variables."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "comparer", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300, env={**os.environ, "COLUMNS": "160", **(env or {})})


def _analysed(path: Path):
    """Return the per-document stage's result for a real file."""
    from comparer.corpus.documents import analyse

    data = path.read_bytes()
    return analyse((path.name, hashlib.sha256(data).hexdigest(), data))


@pytest.fixture(scope="module")
def documents():
    """Return the per-document results of real reports (text, web text, PDF)."""
    return [_analysed(path) for path in REAL_FILES]


def test_records_round_trip_real_reports_exactly(documents):
    from comparer.corpus.documents import Document, Skipped
    from comparer.corpus.records import dumps, loads

    for doc in documents:
        assert isinstance(doc, Document) and doc.figures and doc.report.sections
        back = loads(dumps(doc, version="v1"), Union[Document, Skipped], version="v1")
        assert back == doc
        assert type(back.report.norm.seg_starts) is tuple and type(back.sketch) is frozenset


def test_decoded_documents_give_the_same_outputs(documents):
    from comparer.commitments import CommitmentsResult
    from comparer.corpus.documents import Document, place_figures
    from comparer.corpus.records import dumps, loads
    from comparer.sections import SectionsResult

    for doc in documents:
        back = loads(dumps(doc), Document)
        assert CommitmentsResult(back.report, back.commitments).to_dict() == CommitmentsResult(doc.report, doc.commitments).to_dict()
        assert SectionsResult(back.report).to_dict() == SectionsResult(doc.report).to_dict()
        assert place_figures(back.report) == doc.figures


def test_rows_of_plain_values_round_trip():
    from comparer.corpus.records import dumps, loads

    rows = ({"a": 1, "b": (1.5, None, "x"), "c": [True, {"k": frozenset({3})}], 4: "int key"},)
    assert loads(dumps(rows), tuple) == rows


def _envelope(data) -> bytes:
    """Return a compressed envelope holding data as the codec writes it."""
    from comparer.corpus.records import SCHEMA

    return zlib.compress(json.dumps({"schema": SCHEMA, "version": "v1", "data": data}).encode())


def test_bad_entries_are_record_errors(documents):
    from comparer.corpus.documents import Document
    from comparer.corpus.records import RecordError, dumps, loads, to_data

    blob = dumps(documents[0], version="v1")
    good = to_data(documents[0])
    wrong_type = json.loads(json.dumps(good))
    wrong_type["V"][[f.name for f in dataclasses.fields(Document)].index("sha256")] = 7  # a field of the wrong type
    unknown = {"R": "Popen", "V": [["touch", "x"]]}
    missing_field = {"R": "Document", "V": ["x"]}
    bad = [blob[: len(blob) // 2], b"", b"\x80garbage", zlib.compress(b"{not json"), zlib.compress(b"[1, 2]"),
           _envelope(good) + b"x", _envelope(wrong_type), _envelope(unknown), _envelope(missing_field),
           zlib.compress(json.dumps({"schema": "other/1", "version": "v1", "data": good}).encode()),
           zlib.compress(b"[" * 100000 + b"]" * 100000)]
    for entry in bad:
        with pytest.raises(RecordError):
            loads(entry, Document, version="v1")
    with pytest.raises(RecordError):
        loads(blob, Document, version="v2")  # written by another comparer version


@given(st.data())
def test_a_corrupted_entry_never_escapes_as_another_error(documents, data):
    from comparer.corpus.documents import Document
    from comparer.corpus.records import RecordError, dumps, loads

    blob = bytearray(dumps(documents[1]))
    for _ in range(data.draw(st.integers(1, 4))):
        blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    try:
        back = loads(bytes(blob), Document)
    except RecordError:
        return
    assert isinstance(back, Document)


class _Planted:
    """A pickle payload that creates a file when unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _plant(folder: Path, report: Path, marker: Path) -> Path:
    """Place a crafted pickle where the old cache looked up this report's bytes."""
    from comparer.corpus.cache import code_version

    key = hashlib.sha256(report.read_bytes()).hexdigest()
    entry = folder / code_version() / key[:2] / f"{key}.pickle"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(pickle.dumps(_Planted(marker)))
    return entry


def test_a_crafted_pickle_in_an_old_style_cache_does_nothing(tmp_path):
    folder, marker = tmp_path / "reports", tmp_path / "PWNED"
    folder.mkdir()
    shutil.copy(GUODONGBAN_2024, folder / GUODONGBAN_2024.name)
    _plant(folder / ".comparer-cache", GUODONGBAN_2024, marker)
    done = _cli("corpus", folder, "--out", tmp_path / "out", env=_env(tmp_path))
    assert done.returncode in (0, 1), done.stderr
    assert not marker.exists()
    given_cache = tmp_path / "given"
    _plant(given_cache, GUODONGBAN_2024, marker)
    done = _cli("corpus", folder, "--out", tmp_path / "out2", "--cache", given_cache, env=_env(tmp_path))
    assert done.returncode in (0, 1), done.stderr
    assert not marker.exists()
    assert "(1 from cache)" not in done.stderr


def _snapshot(root: Path) -> dict:
    """Return {relative path: bytes or 'dir'} of everything under root."""
    return {p.relative_to(root).as_posix(): ("dir" if p.is_dir() else p.read_bytes()) for p in root.rglob("*")}


def _user_folder(tmp_path: Path) -> Path:
    """Build a working folder with reports and unrelated user data; return it."""
    work = tmp_path / "work"
    (work / "reports").mkdir(parents=True)
    for seed in (GUODONGBAN_2024, QUFUBAN_2022):
        shutil.copy(seed, work / "reports" / seed.name)
    (work / "mydata" / "sub").mkdir(parents=True)
    (work / "mydata" / "notes.txt").write_text("mine\n")
    (work / "mydata" / "sub" / "table.bin").write_bytes(bytes(range(256)))
    (work / "other" / "0.1.0-abcdef123456").mkdir(parents=True)  # looks like a version folder, is the user's
    (work / "other" / "0.1.0-abcdef123456" / "keep.txt").write_text("keep\n")
    return work


def test_cache_in_the_working_folder_or_a_data_folder_deletes_nothing(tmp_path):
    work = _user_folder(tmp_path)
    before = _snapshot(work)
    for cache in (".", "mydata"):
        done = _cli("corpus", "reports", "--out", tmp_path / f"out-{len(cache)}", "--cache", cache, cwd=work, env=_env(tmp_path))
        assert done.returncode in (0, 1) and "(0 from cache)" in done.stderr, done.stderr
        assert {k: v for k, v in _snapshot(work).items() if k in before} == before, cache
    assert (work / "comparer-cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (work / "mydata" / "comparer-cache" / "CACHEDIR.TAG").is_file()


def test_pruning_removes_only_old_versions_comparer_marked(tmp_path):
    work = _user_folder(tmp_path)
    first = _cli("corpus", "reports", "--out", tmp_path / "a", "--cache", "mydata", cwd=work, env=_env(tmp_path))
    assert "(0 from cache)" in first.stderr, first.stderr
    root = work / "mydata" / "comparer-cache"
    current = [p for p in root.iterdir() if p.is_dir()]
    assert len(current) == 1
    old = root / "0.0.1-000000000000"
    shutil.copytree(current[0], old)
    marker = json.loads((old / "comparer-cache.json").read_text())
    (old / "comparer-cache.json").write_text(json.dumps({**marker, "version": old.name}))
    unmarked = root / "0.0.2-111111111111"
    (unmarked / "ab").mkdir(parents=True)
    (unmarked / "ab" / "user.txt").write_text("not comparer's\n")
    before = _snapshot(work)
    second = _cli("corpus", "reports", "--out", tmp_path / "b", "--cache", "mydata", cwd=work, env=_env(tmp_path))
    assert "(2 from cache)" in second.stderr, second.stderr
    assert not old.exists()
    gone = {k for k in before if k not in _snapshot(work)}
    assert gone and all(k.startswith("mydata/comparer-cache/0.0.1-000000000000") for k in gone)


def test_a_foreign_folder_named_like_the_cache_is_refused(tmp_path):
    work = _user_folder(tmp_path)
    (work / "mydata" / "comparer-cache").mkdir()
    (work / "mydata" / "comparer-cache" / "x.txt").write_text("user\n")
    done = _cli("corpus", "reports", "--out", tmp_path / "a", "--cache", "mydata", cwd=work, env=_env(tmp_path))
    assert done.returncode == 2 and "comparer-cache" in done.stderr and len(done.stderr.splitlines()) == 1
    assert (work / "mydata" / "comparer-cache" / "x.txt").read_text() == "user\n"


def test_default_cache_is_the_user_cache_folder_not_the_corpus(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in (GUODONGBAN_2024, QUFUBAN_2022):
        shutil.copy(seed, folder / seed.name)
    first = _cli("corpus", folder, "--out", tmp_path / "a", env=_env(tmp_path))
    second = _cli("corpus", folder, "--out", tmp_path / "b", env=_env(tmp_path))
    assert "(0 from cache)" in first.stderr and "(2 from cache)" in second.stderr, second.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted([GUODONGBAN_2024.name, QUFUBAN_2022.name])
    root = tmp_path / "xdg-cache" / "comparer"
    assert (root / "CACHEDIR.TAG").is_file() and not any(root.rglob("*.pickle"))
    nocache = _cli("corpus", folder, "--out", tmp_path / "c", "--no-cache", env=_env(tmp_path))
    assert "(0 from cache)" in nocache.stderr


def test_corrupted_and_wrong_shape_entries_are_misses(tmp_path):
    from comparer.corpus.records import SCHEMA

    folder, cache = tmp_path / "reports", tmp_path / "cache"
    shutil.copytree(SEEDS, folder)
    first = _cli("corpus", folder, "--out", tmp_path / "a", "--cache", cache, env=_env(tmp_path))
    from comparer.corpus.cache import digest

    documents = {f"{digest(p.read_bytes())}.json.z" for p in folder.iterdir()}  # the per-pair entries stay intact
    entries = sorted(p for p in (cache / "comparer-cache").rglob("*") if p.is_file() and p.name in documents)
    assert len(entries) == 5, entries
    version = entries[0].parent.parent.name
    entries[0].write_bytes(entries[0].read_bytes()[:100])
    entries[1].write_bytes(b"")
    entries[2].write_bytes(zlib.compress(json.dumps({"schema": SCHEMA, "version": version, "data": {"R": "Document", "V": {}}}).encode()))
    entries[3].write_bytes(zlib.compress(json.dumps({"schema": SCHEMA, "version": version, "data": [1, 2, 3]}).encode()))
    second = _cli("corpus", folder, "--out", tmp_path / "b", "--cache", cache, env=_env(tmp_path))
    assert second.returncode == first.returncode, second.stderr
    assert "(1 from cache)" in second.stderr, second.stderr
    for name in ("documents.csv", "followup.csv", "figures.csv", "sections.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
