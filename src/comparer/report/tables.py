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


def write_tables(tables: dict, out: Path, taps: Optional[dict] = None) -> list[str]:
    """Write each {name: (columns, chunks)} as name.csv and name.parquet in out; return the file names.

    taps: {name: (keep(row) -> bool, list)}: the rows of that table kept appended to the list while writing.
    """
    written = []
    for name, (columns, chunks) in tables.items():
        _write_table(out, name, columns, chunks, (taps or {}).get(name))
        written += [f"{name}.csv", f"{name}.parquet"]
    return written


def _kind(value) -> str:
    """Return the type class of a value as convert_dtypes sees it (NaN is missing; whole floats apart)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "none"
    if isinstance(value, float):
        return "whole" if value.is_integer() else "float"
    return type(value).__name__


def _dtypes(columns: tuple, chunks: Callable) -> tuple[dict, int]:
    """Return ({column: dtype the whole table would get}, row count) from one value of each kind per column."""
    samples: dict = {c: {} for c in columns}
    count = 0
    for chunk in chunks():
        count += len(chunk)
        for row in chunk:
            for c in columns:
                value = row.get(c)
                samples[c].setdefault(_kind(value), value)
    depth = max((len(s) for s in samples.values()), default=0)
    sample = [{c: (list(samples[c].values()) + [None] * depth)[i] for c in columns} for i in range(depth)]
    return (dict(frame(columns, sample).dtypes) if sample else {}), count


def _write_table(out: Path, name: str, columns: tuple, chunks: Callable, tap: Optional[tuple]) -> None:
    """Write one table's CSV and Parquet files, chunk by chunk."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    dtypes, count = _dtypes(columns, chunks)
    if not count:
        return _write_whole(out, name, frame(columns, []))
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
    writer.close()


def _write_whole(out: Path, name: str, data) -> None:
    """Write a table held in one DataFrame (an empty one) as CSV and Parquet."""
    import io

    from ..output import write_atomic, write_bytes_atomic

    write_atomic(out / f"{name}.csv", "\ufeff" + data.to_csv(index=False))
    buffer = io.BytesIO()
    data.to_parquet(buffer, index=False, engine="pyarrow")
    write_bytes_atomic(out / f"{name}.parquet", buffer.getvalue())
