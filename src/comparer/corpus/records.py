"""Records codec: frozen records and plain values to compressed JSON and back, checked on the way in.

Data only: decoding builds nothing but JSON scalars, lists, tuples, dicts, (frozen)sets and the
dataclasses reachable from the type the caller expects, by name and field; it never imports,
evaluates or calls anything else. Anything that is not exactly what was expected (truncated,
corrupted, another schema or version, an unknown record, a missing field, a field of the wrong
type) raises RecordError, which a cache treats as a miss.

Encoding (`to_data`): None, bool, int, float, str and list stay as they are; a tuple is
{"T": [...]}, a frozenset {"F": [...]}, a set {"S": [...]}, a dict {"D": [[key, value], ...]},
a dataclass {"R": class name, "V": {field: value}}. `dumps` wraps it as
{"schema": "comparer.records/1", "version": ..., "data": ...}, JSON in UTF-8, zlib-compressed.
"""
from __future__ import annotations

import dataclasses
import json
import sys
import typing
import zlib
from functools import lru_cache
from typing import Any, Union

__all__ = ["SCHEMA", "MAX_DECODED_BYTES", "RecordError", "to_data", "from_data", "dumps", "loads", "conforms", "record_types"]

SCHEMA = "comparer.records/1"
# A decompressed entry larger than this is refused (a zip bomb, not a report): the biggest
# per-document record of a 200 MiB file (the default input limit) stays well below it.
MAX_DECODED_BYTES = 2 * 1024 ** 3


class RecordError(ValueError):
    """An encoded record is damaged, of another schema or version, or not of the expected type."""


def to_data(value: Any) -> Any:
    """Return the JSON-able form of a value made of scalars, containers and dataclasses."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [to_data(v) for v in value]
    if isinstance(value, tuple):
        return {"T": [to_data(v) for v in value]}
    if isinstance(value, (frozenset, set)):
        return {"F" if isinstance(value, frozenset) else "S": [to_data(v) for v in _ordered(value)]}
    if isinstance(value, dict):
        return {"D": [[to_data(k), to_data(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"R": type(value).__name__, "V": {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    raise TypeError(f"records cannot hold a {type(value).__name__}")


def _ordered(items) -> list:
    """Return a set's items in a stable order (sorted when they compare)."""
    try:
        return sorted(items)
    except TypeError:
        return list(items)


def from_data(data: Any, types: dict) -> Any:
    """Return the value of a to_data form; types maps the record names allowed to their classes."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [from_data(v, types) for v in data]
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise RecordError("not a records value")
    if len(data) == 2:
        return _record(data, types)
    (tag, items), = data.items()
    if tag not in ("T", "F", "S", "D") or not isinstance(items, list):
        raise RecordError(f"unknown tag {tag!r}")
    values = [from_data(v, types) for v in items]
    if tag == "D":
        if not all(isinstance(pair, list) and len(pair) == 2 for pair in values):
            raise RecordError("a dict entry is not a [key, value] pair")
        return {_hashable(k): v for k, v in values}
    if tag == "T":
        return tuple(values)
    members = [_hashable(v) for v in values]
    return frozenset(members) if tag == "F" else set(members)


def _hashable(value: Any) -> Any:
    """Return value when it can be a dict key or set member, else raise RecordError."""
    try:
        hash(value)
    except TypeError:
        raise RecordError("an unhashable key") from None
    return value


def _record(data: dict, types: dict) -> Any:
    """Build an allowed dataclass from {"R": name, "V": {field: value}}."""
    name, values = data.get("R"), data.get("V")
    cls = types.get(name) if isinstance(name, str) else None
    if cls is None or not isinstance(values, dict):
        raise RecordError(f"unknown or unexpected record {name!r}")
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    if set(values) != names:
        raise RecordError(f"{name}: fields {sorted(set(values) ^ names)} missing or unknown")
    return cls(**{key: from_data(value, types) for key, value in values.items()})


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict:
    """Return the resolved field types of a dataclass, with the refinements of loosely annotated fields."""
    namespace = {**vars(sys.modules[cls.__module__]), **_known()}
    hints = typing.get_type_hints(cls, globalns=namespace)
    return {f.name: _REFINED.get((cls.__name__, f.name), hints[f.name]) for f in dataclasses.fields(cls)}


def _known() -> dict:
    """Return the record classes that annotations may name without importing them."""
    from ..commitments import Commitment, Deadline
    from ..figures import Figure, RatioCheck
    from ..models import DocMeta, Normalized, Notice, RawDocument, Report, Section
    from .documents import Document, Placed, Skipped

    classes = (Commitment, Deadline, Figure, RatioCheck, DocMeta, Normalized, Notice, RawDocument, Report, Section,
               Document, Placed, Skipped)
    return {cls.__name__: cls for cls in classes}


# Fields annotated loosely where they are declared (`tuple`, `object`): what they hold.
_REFINED = {
    ("Commitment", "targets"): typing.Tuple["Figure", ...],
    ("Section", "level"): Union[int, str],
}


def record_types(expect: Any) -> dict:
    """Return {name: class} of every dataclass reachable from a type hint (the records a value may hold)."""
    found: dict = {}
    pending = [expect]
    while pending:
        hint = pending.pop()
        if isinstance(hint, (str, typing.ForwardRef)):
            hint = _known()[hint if isinstance(hint, str) else hint.__forward_arg__]
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            if hint.__name__ not in found:
                found[hint.__name__] = hint
                pending.extend(_hints(hint).values())
        else:
            pending.extend(typing.get_args(hint))
    return found


def conforms(value: Any, hint: Any) -> bool:
    """Return whether value has the type a hint describes (records checked field by field)."""
    if isinstance(hint, (str, typing.ForwardRef)):
        hint = _known()[hint if isinstance(hint, str) else hint.__forward_arg__]
    if hint in (Any, object):
        return True
    if hint is None or hint is type(None):
        return value is None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Union:
        return any(conforms(value, arg) for arg in args)
    if origin is not None:
        return _conforms_generic(value, origin, args)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if dataclasses.is_dataclass(hint):
        return type(value) is hint and all(conforms(getattr(value, name), h) for name, h in _hints(hint).items())
    return isinstance(value, hint)


def _conforms_generic(value: Any, origin: type, args: tuple) -> bool:
    """Return whether value matches tuple[...], list[...], frozenset[...], set[...] or dict[...]."""
    if not isinstance(value, origin):
        return False
    if not args:
        return True
    if origin is dict:
        return all(conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items())
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        return len(value) == len(args) and all(conforms(v, a) for v, a in zip(value, args))
    if args[0] in (int, str):  # the long tuples (offsets, line numbers, sketches): no call per item
        return all(isinstance(v, args[0]) for v in value)
    return all(conforms(v, args[0]) for v in value)


def dumps(value: Any, version: str = "") -> bytes:
    """Return value encoded as compressed JSON, tagged with the records schema and a version."""
    envelope = {"schema": SCHEMA, "version": version, "data": to_data(value)}
    text = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 6)


def loads(blob: bytes, expect: Any = object, version: str = "") -> Any:
    """Return the value dumps encoded, or raise RecordError unless it is intact, of this version and of type expect."""
    try:
        envelope = json.loads(_inflate(blob).decode("utf-8", "surrogatepass"))
    except (ValueError, RecursionError, zlib.error, MemoryError) as error:
        raise RecordError(f"not a records entry ({type(error).__name__})") from None
    if not isinstance(envelope, dict) or envelope.get("schema") != SCHEMA or envelope.get("version") != version:
        raise RecordError("another schema or version")
    try:
        value = from_data(envelope.get("data"), record_types(expect))
    except RecordError:
        raise
    except (TypeError, ValueError, RecursionError) as error:
        raise RecordError(f"malformed records data ({type(error).__name__})") from None
    if not conforms(value, expect):
        raise RecordError("not of the expected type")
    return value


def _inflate(blob: bytes) -> bytes:
    """Decompress a whole zlib stream, refusing trailing bytes and outputs over MAX_DECODED_BYTES."""
    inflater = zlib.decompressobj()
    data = inflater.decompress(blob, MAX_DECODED_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError("entry too large")
    if not inflater.eof or inflater.unused_data:
        raise ValueError("truncated or trailing bytes")
    return data
