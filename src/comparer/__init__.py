"""comparer: compare Chinese government reports (drift, follow-up, alignment)."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
