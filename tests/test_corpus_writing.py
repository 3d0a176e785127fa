"""How a corpus run shares its work out: tables written early or side by side change no byte; workers keep to one BLAS thread."""
from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from comparer.corpus import run_corpus, write_outputs
from conftest import SEEDS, WEB_TEXT

TABLES = ("documents", "sections", "commitments", "followup", "drifts", "figures", "repeats", "targets")
EARLY = ("documents", "sections", "commitments", "figures")


def _corpus(tmp_path: Path) -> Path:
    """Return a copy of the seed reports with one ratio check planted wrong (report.html lists failed checks)."""
    import shutil

    folder = tmp_path / "reports"
    shutil.copytree(SEEDS, folder)
    planted = folder / WEB_TEXT.name
    planted.write_text(WEB_TEXT.read_text(encoding="utf-8").replace("成功调解纠纷6698件", "成功调解纠纷6000件"), encoding="utf-8")
    return folder


def _files(out: Path) -> dict:
    """Return each table's CSV bytes and Parquet rows, and the failed ratio-check rows of report.html."""
    found = {name: ((out / f"{name}.csv").read_bytes(), pq.read_table(out / f"{name}.parquet").to_pylist()) for name in TABLES}
    html = (out / "report.html").read_text(encoding="utf-8")
    found["failed checks"] = html.split("<h2>Failed ratio checks</h2>")[1].split("<h2>")[0]
    return found


def test_tables_written_early_and_by_two_processes_equal_the_tables_written_at_the_end_by_one(tmp_path):
    reports = _corpus(tmp_path)
    early = run_corpus(reports, out=tmp_path / "early", jobs=2, use_cache=False)
    assert early.early is not None and early.early.ready()  # the early tables were written while the pairs ran
    assert {p.name for p in early.early.folder.iterdir()} == {f"{n}.{e}" for n in EARLY for e in ("csv", "parquet")}
    write_outputs(early, tmp_path / "early")
    late = run_corpus(reports, jobs=1, use_cache=False)  # no --out given: nothing written early, one process
    assert late.early is None
    write_outputs(late, tmp_path / "late")
    assert _files(tmp_path / "early") == _files(tmp_path / "late")
    assert _files(tmp_path / "late")["figures"][1] and "<td>" in _files(tmp_path / "late")["failed checks"]


def test_tables_are_written_at_the_end_when_the_early_writer_failed(tmp_path):
    reports = _corpus(tmp_path)
    result = run_corpus(reports, out=tmp_path / "a", jobs=2, use_cache=False)
    assert result.early.ready()
    (result.early.folder / "figures.csv").write_bytes(b"not the table")  # what a copy would give
    result.early.error = OSError("disk full")
    write_outputs(result, tmp_path / "a")
    reference = run_corpus(reports, jobs=1, use_cache=False)
    write_outputs(reference, tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def _blas_threads(_) -> int:
    """Return how many threads this process's OpenBLAS may use (a task run by a worker)."""
    from threadpoolctl import threadpool_info

    return max(info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas")


def test_local_workers_keep_openblas_to_one_thread():
    from comparer.corpus.runners import open_runner

    with open_runner("local", 2) as runner:
        assert runner.map(_blas_threads, range(4)) == [1, 1, 1, 1]
