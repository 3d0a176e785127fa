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
    if found.sha256 != sha or len(found.entries) != len(PARTS):
        return None
    for part, expected in zip(PARTS, found.entries):
        blob = store.read(_key(part, sha))
        if blob is None or digest(blob) != expected:
            return None
    return found


def _write(store: Cache, doc: Document) -> Stub:
    """Store a document's entries and its stub; return the stub."""
    from .columns import document_rows

    values = {"document": doc, "rows": document_rows(doc), "sentences": _sentences(doc)}
    entries = tuple(digest(store.put(_key(part, doc.sha256), values[part])) for part in PARTS)
    stub = _stub(doc, entries)
    store.store(_stub_key(doc.sha256), stub)
    return stub


def _sentences(doc: Document) -> tuple:
    """Return the (sentence, line) pairs template detection reads of a document."""
    from ..repeats import long_sentences

    return tuple(long_sentences(doc.report))


def _load(store: Cache, part: str, sha: str, expect):
    """Return a stored entry of a document, or raise ComparerError when it is gone or damaged."""
    value = store.load(_key(part, sha), expect)
    if value is None:
        raise ComparerError(str(store.folder), f"the {part} entry of {sha[:12]} is missing or damaged (changed during the run?)")
    return value


_MEMO: dict = {}  # documents loaded by the tasks of one bundle (shared_loads), oldest first
_MEMO_SIZE = 32  # at most this many documents kept (a region's reports; about 2.4 MB of memory each)


def load_document(store: Cache, sha: str, path: str) -> Document:
    """Return a stored document, relabelled with the path it has in this run (loaded once per bundle of tasks)."""
    from .documents import moved

    doc = _MEMO.get(sha)
    if doc is None:
        doc = _load(store, "document", sha, Document)
        if _MEMO.get("on"):
            _MEMO[sha] = doc
            if len(_MEMO) > _MEMO_SIZE + 1:
                del _MEMO[next(k for k in _MEMO if k != "on")]
    return moved(doc, path)


def shared_loads(tasks: list) -> list:
    """Run [(function, argument)] one after the other, each document loaded once for all of them; return the results."""
    _MEMO.clear()
    _MEMO["on"] = True
    try:
        return [fn(task) for fn, task in tasks]
    finally:
        _MEMO.clear()


def load_rows(store: Cache, sha: str) -> dict:
    """Return a document's stored table rows: {table: [row, ...]} (the doc column is filled by the caller)."""
    return _load(store, "rows", sha, dict)


def load_sentences(store: Cache, sha: str) -> tuple:
    """Return a document's stored (sentence, line) pairs."""
    return _load(store, "sentences", sha, tuple)


class _Spill:
    """A temporary store folder, removed when the last run result holding it goes (or at exit)."""

    def __init__(self):
        import shutil
        import tempfile
        import weakref

        self.folder = Path(tempfile.mkdtemp(prefix="comparer-run-"))
        weakref.finalize(self, shutil.rmtree, str(self.folder), True)


def run_store(cache: Cache) -> tuple:
    """Return (store, keeper): the cache when it is on, else a temporary store and the object that owns its folder."""
    from .cache import open_cache

    if cache.folder is not None and cache.writable():
        return cache, None
    spill = _Spill()
    return open_cache(spill.folder, True), spill
