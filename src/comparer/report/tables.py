"""Write the corpus tables as CSV (UTF-8 with BOM) and Parquet (pandas + pyarrow), each file atomically."""
from __future__ import annotations

import io
from pathlib import Path

__all__ = ["frame", "write_tables"]


def frame(columns: tuple, rows: list[dict]):
    """Return a DataFrame of rows with the given columns and nullable dtypes (ints stay ints)."""
    import pandas as pd

    data = pd.DataFrame(rows, columns=list(columns))
    return data.astype(object).where(data.notna(), None).convert_dtypes() if rows else data.astype("string")


def write_tables(tables: dict, out: Path) -> list[str]:
    """Write each {name: (columns, rows)} as name.csv and name.parquet in out; return the file names."""
    from ..output import write_atomic, write_bytes_atomic

    written = []
    for name, (columns, rows) in tables.items():
        data = frame(columns, rows)
        write_atomic(out / f"{name}.csv", "\ufeff" + data.to_csv(index=False))  # BOM: Excel reads UTF-8, not the ANSI code page
        buffer = io.BytesIO()
        data.to_parquet(buffer, index=False, engine="pyarrow")
        write_bytes_atomic(out / f"{name}.parquet", buffer.getvalue())
        written += [f"{name}.csv", f"{name}.parquet"]
    return written
