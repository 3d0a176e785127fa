"""JSON renderer."""
from __future__ import annotations

import json

__all__ = ["to_json"]


def to_json(data: dict) -> str:
    """Return pretty, UTF-8 readable JSON text ending with a newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
