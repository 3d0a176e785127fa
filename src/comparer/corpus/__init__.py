"""Analyse a folder of reports: identify each, group copies, chain years, follow plans up.

Modules, in pipeline order: `discover` (which files), `documents` (the per-document stage),
`records` (the data-only codec of results) and `cache` (their content-hash cache), `store` (the
entries workers write per document, the Stub the main process keeps), `copies`, `chains`, `pairs`
(the per-pair stage), `spilled` (per-pair rows spooled to disk), `indicators`, `result`
(CorpusResult), `columns` and `tables` (rows and summary.json), `runners` (serial, processes, Dask)
and `run` (run_corpus, write_outputs).
"""
from __future__ import annotations

from .result import CorpusResult
from .run import run_corpus, write_outputs

__all__ = ["run_corpus", "write_outputs", "CorpusResult"]
