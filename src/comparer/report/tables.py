"""Write the corpus tables as CSV (UTF-8 with BOM) and Parquet (pandas + pyarrow), a chunk of rows at a time.

A table arrives as chunks() -> iterator of row lists (called twice): a first pass finds each
column's value types, so every chunk gets the dtypes `frame` would give the whole table
(convert_dtypes: ints stay ints, floats that are all whole become ints, text is string), and the
second pass writes the chunks one after the other: memory holds one chunk, whatever the table's size.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Callable, Optional

__all__ = ["frame", "write_tables"]


def frame(columns: tuple, rows: list[dict]):
    """Return a DataFrame of rows with the given columns and nullable dtypes (ints stay ints)."""
    import pandas as pd

    data = pd.DataFrame(rows, columns=list(columns))
    return data.astype(object).where(data.notna(), None).convert_dtypes() if rows else data.astype("string")


def write_tables(tables: dict, out: Path, taps: Optional[dict] = None, jobs: int = 1, weights: Optional[dict] = None) -> list[str]:
    """Write each {name: (columns, chunks, kinds or None)} as name.csv and name.parquet in out; return the file names.

    kinds: {column: set of value_kind()s} of the whole table when known (then chunks() is read once).
    taps: {name: (keep(row) -> bool, list)}: the rows of that table kept appended to the list while writing.
    jobs: processes that write tables side by side (the others forked); weights: {name: rows, about} to share them out.
    """
    import pandas  # noqa: F401  (imported once, before any child is forked)
    import pyarrow.parquet  # noqa: F401

    from ..parallel import map_forked

    taps = taps or {}
    shares = _share(list(tables), weights or {}, jobs)
    done = map_forked(lambda names: _write_some(tables, names, out, taps), shares, [1] * len(shares), 1, jobs)
    for _, kept in done:
        for name, rows in kept.items():
            taps[name][1].extend(rows)
    written = {name for names, _ in done for name in names}
    return [f"{name}.{ext}" for name in tables if name in written for ext in ("csv", "parquet")]


def _share(names: list, weights: dict, jobs: int) -> list[list]:
    """Return the table names split into at most jobs lists of about equal weight (heaviest first, each to the lightest list)."""
    shares: list = [[] for _ in range(max(1, min(jobs, len(names))))]
    loads = [0] * len(shares)
    for name in sorted(names, key=lambda n: -weights.get(n, 0)):
        lightest = loads.index(min(loads))
        shares[lightest].append(name)
        loads[lightest] += weights.get(name, 0)
    return [share for share in shares if share]


def _write_some(tables: dict, names: list, out: Path, taps: dict) -> tuple[list, dict]:
    """Write the named tables (in a forked child or here); return (their names, {name: rows each tap kept})."""
    from ..errors import OutputError

    kept: dict = {name: [] for name in names if name in taps}
    try:
        for name in names:
            columns, chunks, kinds = tables[name]
            tap = (taps[name][0], kept[name]) if name in taps else None
            _write_table(out, name, columns, chunks, kinds if kinds is not None else _kinds(columns, chunks), tap)
    except OSError as error:  # a child's OSError would come back as a crash: make it the error the caller reports
        raise OutputError(Path(error.filename or out / f"{name}.csv"), f"cannot write ({error.strerror or error})") from None
    return names, kept


def value_kind(value) -> str:
    """Return the type class of a value as convert_dtypes sees it (NaN is missing; whole floats apart)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "none"
    if isinstance(value, float):
        return "whole" if value.is_integer() else "float"
    return type(value).__name__


_SAMPLE = {"none": None, "whole": 1.0, "float": 0.5, "int": 1, "str": "a", "bool": True}  # one value of each kind


def _kinds(columns: tuple, chunks: Callable) -> dict:
    """Return {column: set of value kinds} over every row (one pass over the chunks)."""
    kinds: dict = {c: set() for c in columns}
    for chunk in chunks():
        for row in chunk:
            for c in columns:
                kinds[c].add(value_kind(row.get(c)))
    return kinds


def _dtypes(columns: tuple, kinds: dict) -> dict:
    """Return {column: the dtype frame() gives the whole table}, from the kinds of values each column holds."""
    depth = max((len(k) for k in kinds.values()), default=0)
    if any(kind not in _SAMPLE for found in kinds.values() for kind in found):
        raise ValueError(f"a table value of an unexpected type: {kinds}")
    sample = [{c: ([_SAMPLE[k] for k in sorted(kinds[c])] + [None] * depth)[i] for c in columns} for i in range(depth)]
    return dict(frame(columns, sample).dtypes) if sample else {}


def _write_table(out: Path, name: str, columns: tuple, chunks: Callable, kinds: dict, tap: Optional[tuple]) -> None:
    """Write one table's CSV and Parquet files, chunk by chunk."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not any(kinds.values()):
        return _write_whole(out, name, frame(columns, []))
    dtypes = _dtypes(columns, kinds)
    writer, schema = None, None
    with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as csv:
        csv.write("\ufeff")  # BOM: Excel reads UTF-8, not the ANSI code page
        for chunk in chunks():
            if tap is not None:
                tap[1].extend(row for row in chunk if tap[0](row))
            if not chunk:
                continue
            data = pd.DataFrame(chunk, columns=list(columns))
            data = data.astype(object).where(data.notna(), None).astype(dtypes)
            csv.write(data.to_csv(index=False, header=writer is None))
            table = pa.Table.from_pandas(data, preserve_index=False, schema=schema)
            if writer is None:
                schema = table.schema
                writer = pq.ParquetWriter(out / f"{name}.parquet", schema)
            writer.write_table(table)
    if writer is not None:
        writer.close()


def _write_whole(out: Path, name: str, data) -> None:
    """Write a table held in one DataFrame (an empty one) as CSV and Parquet."""
    import io

    from ..output import write_atomic, write_bytes_atomic

    write_atomic(out / f"{name}.csv", "\ufeff" + data.to_csv(index=False))
    buffer = io.BytesIO()
    data.to_parquet(buffer, index=False, engine="pyarrow")
    write_bytes_atomic(out / f"{name}.parquet", buffer.getvalue())
