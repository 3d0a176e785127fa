"""Read the data files shipped in comparer/data (division table, word lists, fitted coefficients)."""
from __future__ import annotations

__all__ = ["bundled_text"]


def bundled_text(name: str) -> str:
    """Return the text of comparer/data/NAME, a .gz file decompressed."""
    from importlib import resources  # with tempfile and random, 4 ms of start-up a diff does not need

    data = resources.files("comparer").joinpath("data", name).read_bytes()
    if name.endswith(".gz"):
        import zlib

        data = zlib.decompress(data, wbits=31)  # 31: the gzip container
    return data.decode("utf-8")
