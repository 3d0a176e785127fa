"""Where a corpus run keeps its documents: workers write them, the main process keeps only a Stub each.

The per-document task (`document_task`, run by a worker) reads a file, hashes it, and either finds
its entries in the store or analyses it and writes three records entries (data only, see
records.py) under keys derived from the file's sha256: the whole Document (for the per-pair tasks,
which load the documents they need themselves), its table rows (sections, commitments, figures;
streamed into the tables at the end) and its long sentences (template detection). It returns a
Stub: identity, counts, the copy sketch, the figures that can line up as indicators, and the
digests of the three entries, so a later run can check them without decoding them. The store is
the cache when it is on; with --no-cache (or a cache that cannot be written) a temporary folder
that is removed when the result is dropped or the process ends.
"""
from __future__ import annotations

import base64
import json
from dataclasses import replace
from pathlib import Path
from typing import Union

from ..errors import ComparerError
from .cache import Cache, digest
from .documents import Document, Skipped, Stub

__all__ = ["Stub", "document_task", "load_document", "load_rows", "load_sentences", "run_store", "PARTS"]

PARTS = ("document", "rows", "sentences")  # the entries a document has in the store, in Stub.entries order


def _stub(doc: Document, entries: tuple) -> Stub:
    """Return the stub of an analysed document."""
    import numpy as np

    meta, figures = doc.report.meta, doc.figures
    checks = [p.check for p in figures if p.check]
    counts = (len(doc.report.raw.text), sum(1 for s in doc.report.all_sections() if s.level != "inline"),
              len(doc.commitments), len(figures), len(checks), sum(1 for c in checks if not c.consistent))
    shingles = base64.b64encode(np.asarray(sorted(doc.sketch), dtype="<u4").tobytes()).decode("ascii")
    return Stub(doc.path, doc.sha256, entries, meta.kind, meta.region, meta.issuer, meta.stated_issuer,
                meta.identified_by, doc.year, meta.genre, meta.title, meta.date, meta.pages, meta.encoding, counts,
                tuple(doc.report.warnings), doc.plan_years, _indicator_figures(figures), shingles)


def _indicator_figures(figures: tuple) -> tuple:
    """Return (index, figure) of the results figures whose subject can name an indicator."""
    from .indicators import indicator_subject

    return tuple((k, p) for k, p in enumerate(figures) if p.role == "results" and indicator_subject(p.figure.subject))


def moved_stub(stub: Stub, rel: str) -> Stub:
    """Return a stub relabelled with another file's relative path (same bytes)."""
    if stub.path == rel:
        return stub
    notices = tuple(replace(n, path=rel) if n.path == stub.path else n for n in stub.notices)
    return replace(stub, path=rel, notices=notices)


def _key(part: str, sha: str) -> str:
    """Return the store key of one entry of a document (the document itself: its sha256)."""
    return sha if part == "document" else digest(f"{part}:{sha}".encode())


def _stub_key(sha: str) -> str:
    """Return the store key of a document's stub (or of why it was skipped)."""
    return digest(f"stub:{sha}".encode())


def document_task(task: tuple) -> tuple:
    """Run the per-document stage on (file, relative path, size limit, store): read, look up, or analyse and store.

    Return (Stub or Skipped, whether it was found in the store).
    """
    from .discover import read_file
    from .documents import analyse

    path, rel, limit, store = task
    data = read_file(path, rel, limit)
    if isinstance(data, Skipped):
        return data, False
    sha = digest(data)
    found = _lookup(store, sha)
    if found is not None:
        return (replace(found, path=rel) if isinstance(found, Skipped) else moved_stub(found, rel)), True
    result = analyse((rel, sha, data))
    if isinstance(result, Skipped):
        store.store(_stub_key(sha), result)
        return result, False
    return _write(store, result), False


def _lookup(store: Cache, sha: str) -> "Stub | Skipped | None":
    """Return the stored stub (or skip reason) of a document whose entries are all intact, else None."""
    found = store.load(_stub_key(sha), Union[Stub, Skipped])
    if isinstance(found, Skipped) or found is None:
        return found
    if found.sha256 != sha or len(found.entries) != len(PARTS) or not _sound(found):
        return None
    for part, expected in zip(PARTS, found.entries):
        blob = store.read(_key(part, sha))
        if blob is None or digest(blob) != expected:
            return None
    return found


def _sound(stub: Stub) -> bool:
    """Return whether a decoded stub holds what the run reads of it (six counts, a sketch, indicators in order)."""
    import binascii

    try:
        base64.b64decode(stub.shingles, validate=True)
    except (binascii.Error, ValueError):
        return False
    order = [k for k, _ in stub.indicators]
    return len(stub.counts) == 6 and order == sorted(set(order)) and len(stub.kinds) == 3


def _write(store: Cache, doc: Document) -> Stub:
    """Store a document's entries and its stub; return the stub."""
    from .columns import document_rows, row_kinds

    values = {"document": doc, "rows": document_rows(doc), "sentences": _sentences(doc)}
    entries = tuple(digest(store.put(_key(part, doc.sha256), values[part], part != "document")) for part in PARTS)
    stub = replace(_stub(doc, entries), kinds=row_kinds(values["rows"]))
    store.store(_stub_key(doc.sha256), stub)
    return stub


def _sentences(doc: Document) -> tuple:
    """Return the (sentence, line) pairs template detection reads of a document."""
    from ..repeats import long_sentences

    return tuple(long_sentences(doc.report))


def _load(store: Cache, part: str, sha: str, expect):
    """Return a stored entry of a document, or raise ComparerError when it is gone or damaged."""
    value = store.load(_key(part, sha), expect) if part == "document" else store.load_plain(_key(part, sha), expect)
    if value is None:
        raise ComparerError(str(store.folder), f"the {part} entry of {sha[:12]} is missing or damaged (changed during the run?)")
    return value


_MEMO: dict = {}  # the documents this process's tasks loaded last: (store folder, sha256) -> Document, oldest first
_MEMO_SIZE = 32  # at most this many documents kept (a few regions' reports; about 2.4 MB of memory each)


def load_document(store: Cache, sha: str, path: str) -> Document:
    """Return a stored document, relabelled with the path it has in this run (kept for the next tasks of this process)."""
    from .documents import moved

    key = (str(store.folder), sha)
    doc = _MEMO.pop(key, None)
    if doc is None:
        doc = _load(store, "document", sha, Document)
    _MEMO[key] = doc  # the most recently used last
    if len(_MEMO) > _MEMO_SIZE:
        del _MEMO[next(iter(_MEMO))]
    return moved(doc, path)


def forget_documents() -> None:
    """Drop the documents this process keeps for its next tasks."""
    _MEMO.clear()


def load_rows(store: Cache, sha: str) -> dict:
    """Return a document's stored table rows: {table: [[values in column order], ...]} (the doc column is filled by the caller)."""
    return _load(store, "rows", sha, _rows_shape)


def _rows_shape(value) -> bool:
    """Return whether a plain value is {table: [[one value per column], ...]} for the per-document tables."""
    from .columns import TABLES

    return (isinstance(value, dict) and set(value) == {"sections", "commitments", "figures"}
            and all(isinstance(rows, list) and all(isinstance(row, list) and len(row) == len(TABLES[name]) for row in rows)
                    for name, rows in value.items()))


def load_sentences(store: Cache, sha: str) -> list:
    """Return a document's stored [sentence, line] pairs."""
    return _load(store, "sentences", sha, _sentences_shape)


def _sentences_shape(value) -> bool:
    """Return whether a plain value is a list of [sentence, line] pairs."""
    return isinstance(value, list) and all(isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)
                                           and isinstance(item[1], int) for item in value)


_SPILL_MARKER = "comparer-run.json"


class Spill:
    """The run's temporary folder (a store when the cache is off, the spooled rows), removed with the last result holding it.

    A run killed before it could remove its folder leaves it behind; the next run removes such folders
    (comparer-run-* in the temporary folder, marked by comparer, of a process that is gone), nothing else.
    """

    def __init__(self):
        import os
        import shutil
        import tempfile
        import weakref

        from ..output import write_atomic

        _remove_orphans(Path(tempfile.gettempdir()))
        self.folder = Path(tempfile.mkdtemp(prefix=f"comparer-run-{os.getpid()}-"))
        write_atomic(self.folder / _SPILL_MARKER, json.dumps({"schema": "comparer.run/1", "pid": os.getpid()}) + "\n")
        weakref.finalize(self, shutil.rmtree, str(self.folder), True)


def _remove_orphans(temp: Path) -> None:
    """Remove the run folders comparer marked in temp whose process is gone."""
    import shutil

    from .runners import alive

    for folder in temp.glob("comparer-run-*"):
        try:
            marker = json.loads((folder / _SPILL_MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(marker, dict) or marker.get("schema") != "comparer.run/1" or not isinstance(marker.get("pid"), int):
            continue
        if _own_real_folder(folder) and not alive(marker["pid"]):
            shutil.rmtree(folder, ignore_errors=True)


def _own_real_folder(folder: Path) -> bool:
    """Return True for a real folder (no link) of this user: another user's marked folder is not ours to remove."""
    import os

    try:
        status = folder.lstat()
    except OSError:
        return False
    import stat

    return stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid()


def run_store(cache: Cache) -> tuple:
    """Return (store, spill): the cache when it is on and writable, else a store in the run's temporary folder."""
    from .cache import open_cache

    spill = Spill()
    if cache.folder is not None and cache.writable():
        return cache, spill
    return open_cache(spill.folder, True), spill
