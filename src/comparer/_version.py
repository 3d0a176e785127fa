"""The version of comparer (one place: the package, the cache key and --version read it)."""

__all__ = ["__version__"]

__version__ = "0.2.0"
