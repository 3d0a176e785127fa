"""A real Dask cluster (`dask scheduler` and `dask worker` processes on 127.0.0.1) gives the local engine's tables."""
from __future__ import annotations

import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS
from test_corpus import _tables

pytest.importorskip("distributed")


def _free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _cluster(workers: int, log: Path):
    """Start a scheduler and worker processes on 127.0.0.1; yield the scheduler address; stop them."""
    from distributed import Client

    dask = str(Path(sys.executable).with_name("dask"))
    address = f"tcp://127.0.0.1:{_free_port()}"
    started = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                 "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=open(log / "scheduler.log", "w"))]
    try:
        started += [subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"],
                                     stdout=subprocess.DEVNULL, stderr=open(log / f"worker{n}.log", "w")) for n in range(workers)]
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            process.wait(timeout=30)


def _folder(tmp_path: Path) -> Path:
    """Return a small folder with copies (seeds), a chain of years (罗湖) and template text (罗湖, 盐田)."""
    import shutil

    folder = tmp_path / "reports"
    shutil.copytree(SEEDS, folder)
    corpus = ROOT / "fixtures" / "corpus"
    for name in ("shenzhen-luohu_2023_gongzuobaogao.txt", "shenzhen-luohu_2024_gongzuobaogao.txt",
                 "shenzhen-yantian_2024_gongzuobaogao.txt"):
        shutil.copy(corpus / name, folder / name)
    return folder


def test_real_scheduler_and_workers_give_the_local_tables(cli, tmp_path):
    folder = _folder(tmp_path)
    local = cli("corpus", folder, "--out", tmp_path / "local", "--no-cache")
    assert local.returncode == 1, local.stderr
    with _cluster(2, tmp_path) as address:
        remote = cli("corpus", folder, "--out", tmp_path / "dask", "--no-cache", "--engine", "dask", "--scheduler", address)
    assert remote.returncode == 1, remote.stderr + (tmp_path / "worker0.log").read_text()
    tables = _tables(tmp_path / "local")
    assert tables["followup"] and tables["targets"] and tables["figures"]
    assert {dict(row)["kind"] for row in tables["repeats"]} >= {"template-text", "carried-over"}
    assert _tables(tmp_path / "dask") == tables
