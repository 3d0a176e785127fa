"""Records codec: frozen records and plain values to compressed JSON and back, checked on the way in.

Data only: decoding builds nothing but JSON scalars, lists, tuples, dicts, (frozen)sets and the
dataclasses reachable from the type the caller expects, by name and field; it never imports,
evaluates or calls anything else. Anything that is not exactly what was expected (truncated,
corrupted, another schema or version, an unknown record, a missing field, a field of the wrong
type) raises RecordError, which a cache treats as a miss.

Encoding (`to_data`): None, bool, int, float, str and list stay as they are; a tuple is
{"T": [...]}, a frozenset {"F": [...]}, a set {"S": [...]}, a dict {"D": [[key, value], ...]},
a dataclass {"R": class name, "V": [field values in declaration order]}. `dumps` wraps it as
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

__all__ = ["SCHEMA", "PLAIN_SCHEMA", "MAX_DECODED_BYTES", "RecordError", "to_data", "from_data", "dumps", "loads",
           "dumps_plain", "loads_plain", "record_types"]

SCHEMA = "comparer.records/1"
PLAIN_SCHEMA = "comparer.plain/1"  # plain JSON (table rows, sentences): no records, so nothing to tag; read at C speed
# A decompressed entry larger than this is refused (a zip bomb, not a report): the biggest
# per-document record of a 200 MiB file (the default input limit) stays well below it.
MAX_DECODED_BYTES = 2 * 1024 ** 3


class RecordError(ValueError):
    """An encoded record is damaged, of another schema or version, or not of the expected type."""


_SCALARS = (type(None), bool, int, float, str)


def to_data(value: Any) -> Any:
    """Return the JSON-able form of a value made of scalars, containers and dataclasses."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, list):
        return _items(value)
    if isinstance(value, tuple):
        return {"T": _items(value)}
    if isinstance(value, (frozenset, set)):
        return {"F" if isinstance(value, frozenset) else "S": _items(_ordered(value))}
    if isinstance(value, dict):
        return {"D": [[to_data(k), to_data(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"R": type(value).__name__, "V": _items([getattr(value, name) for name, _ in _spec(type(value))])}
    raise TypeError(f"records cannot hold a {type(value).__name__}")


def _items(values) -> list:
    """Return the to_data forms of a sequence (scalars as they are, without a call each)."""
    return [v if type(v) in _SCALARS else to_data(v) for v in values]


def _ordered(items) -> list:
    """Return a set's items in a stable order (sorted when they compare)."""
    try:
        return sorted(items)
    except TypeError:
        return list(items)


def from_data(data: Any, types: dict) -> Any:
    """Return the value of a to_data form; types maps the record names allowed to their classes."""
    if type(data) in _SCALARS:
        return data
    if isinstance(data, list):
        return [v if type(v) in _SCALARS else from_data(v, types) for v in data]
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise RecordError("not a records value")
    if len(data) == 2:
        return _record(data, types)
    (tag, items), = data.items()
    if tag not in ("T", "F", "S", "D") or not isinstance(items, list):
        raise RecordError(f"unknown tag {tag!r}")
    values = from_data(items, types)
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
    """Build an allowed dataclass from {"R": name, "V": [field values]}, checking each field's type."""
    name, values = data.get("R"), data.get("V")
    cls = types.get(name) if isinstance(name, str) else None
    if cls is None or not isinstance(values, list):
        raise RecordError(f"unknown or unexpected record {name!r}")
    spec = _spec(cls)
    if len(values) != len(spec):
        raise RecordError(f"{name}: {len(values)} fields, expected {len(spec)}")
    fields = from_data(values, types)
    for (field, check), value in zip(spec, fields):
        if not check(value):
            raise RecordError(f"{name}.{field}: not of its type")
    return cls(*fields)


@lru_cache(maxsize=None)
def _spec(cls: type) -> tuple:
    """Return ((field name, type checker), ...) of a dataclass, loosely annotated fields refined."""
    namespace = {**vars(sys.modules[cls.__module__]), **_known()}
    hints = typing.get_type_hints(cls, globalns=namespace)
    return tuple((f.name, _checker(_REFINED.get((cls.__name__, f.name), hints[f.name])))
                 for f in dataclasses.fields(cls) if f.init)


def _known() -> dict:
    """Return the record classes that annotations may name without importing them."""
    from ..commitments import Commitment, Deadline
    from ..figures import Figure, RatioCheck
    from ..models import DocMeta, Normalized, Notice, RawDocument, Report, Section
    from .documents import Document, Placed, Skipped, Stub

    classes = (Commitment, Deadline, Figure, RatioCheck, DocMeta, Normalized, Notice, RawDocument, Report, Section,
               Document, Placed, Skipped, Stub)
    return {cls.__name__: cls for cls in classes}


# Fields annotated loosely where they are declared (`tuple`, `object`): what they hold.
_REFINED = {
    ("Commitment", "targets"): typing.Tuple["Figure", ...],
    ("Section", "level"): Union[int, str],
}


def _resolve(hint: Any) -> Any:
    """Return the class a string or forward reference names."""
    if isinstance(hint, (str, typing.ForwardRef)):
        name = hint if isinstance(hint, str) else hint.__forward_arg__
        if name not in _known():
            raise TypeError(f"records: unknown type name {name!r}")
        return _known()[name]
    return hint


def record_types(expect: Any) -> dict:
    """Return {name: class} of every dataclass reachable from a type hint (the records a value may hold)."""
    return dict(_record_types(expect))


@lru_cache(maxsize=None)
def _record_types(expect: Any) -> tuple:
    """Return ((name, class), ...) of every dataclass reachable from a type hint."""
    found: dict = {}
    pending = [expect]
    while pending:
        hint = _resolve(pending.pop())
        if dataclasses.is_dataclass(hint) and isinstance(hint, type):
            if hint.__name__ not in found:
                found[hint.__name__] = hint
                namespace = {**vars(sys.modules[hint.__module__]), **_known()}
                hints = typing.get_type_hints(hint, globalns=namespace)
                pending.extend(_REFINED.get((hint.__name__, name), h) for name, h in hints.items())
        else:
            pending.extend(typing.get_args(hint))
    return tuple(found.items())


@lru_cache(maxsize=None)
def _checker(hint: Any):
    """Return a function telling whether a decoded value has the type a hint describes.

    A record is checked by its class alone: every record in a decoded value was built by
    _record, which checked its fields.
    """
    hint = _resolve(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint in (Any, object):
        return lambda value: True
    if hint is None or hint is type(None):
        return lambda value: value is None
    if origin is Union:
        checks = tuple(_checker(arg) for arg in args)
        return lambda value: any(check(value) for check in checks)
    if origin in (tuple, list, frozenset, set, dict):
        return _container_checker(origin, args)
    if hint is float:
        return lambda value: isinstance(value, (int, float)) and not isinstance(value, bool)
    if dataclasses.is_dataclass(hint):
        return lambda value: type(value) is hint
    return lambda value: isinstance(value, hint)


def _container_checker(origin: type, args: tuple):
    """Return the checker of tuple[...], list[...], frozenset[...], set[...] or dict[...]."""
    if not args:
        return lambda value: isinstance(value, origin)
    if origin is dict:
        key, item = _checker(args[0]), _checker(args[1])
        return lambda value: isinstance(value, dict) and all(key(k) and item(v) for k, v in value.items())
    if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        checks = tuple(_checker(arg) for arg in args)
        return lambda value: (isinstance(value, tuple) and len(value) == len(checks)
                              and all(check(v) for check, v in zip(checks, value)))
    if args[0] in (int, str):  # the long tuples (offsets, line numbers, sketches): no call per item
        scalar = args[0]
        return lambda value: isinstance(value, origin) and all(isinstance(v, scalar) for v in value)
    check = _checker(args[0])
    return lambda value: isinstance(value, origin) and all(check(v) for v in value)


def dumps(value: Any, version: str = "") -> bytes:
    """Return value encoded as compressed JSON, tagged with the records schema and a version."""
    return _seal(SCHEMA, version, to_data(value))


def loads(blob: bytes, expect: Any = object, version: str = "") -> Any:
    """Return the value dumps encoded, or raise RecordError unless it is intact, of this version and of type expect."""
    data = _unseal(blob, SCHEMA, version)
    try:
        value = from_data(data, dict(_record_types(expect)))
    except RecordError:
        raise
    except (TypeError, ValueError, RecursionError) as error:  # TypeError: a record's own __init__ refused its fields
        raise RecordError(f"malformed records data ({type(error).__name__})") from None
    if not _checker(expect)(value):
        raise RecordError("not of the expected type")
    return value


def dumps_plain(value: Any, version: str = "") -> bytes:
    """Return a plain JSON value (dicts, lists, scalars; tuples become lists) compressed, tagged with PLAIN_SCHEMA."""
    return _seal(PLAIN_SCHEMA, version, value)


def loads_plain(blob: bytes, check, version: str = "") -> Any:
    """Return the value dumps_plain encoded, or raise RecordError unless it is intact, of this version and check(value)."""
    data = _unseal(blob, PLAIN_SCHEMA, version)
    if not check(data):
        raise RecordError("not of the expected shape")
    return data


def _seal(schema: str, version: str, data: Any) -> bytes:
    """Return {"schema", "version", "data"} as JSON in UTF-8, zlib-compressed."""
    text = json.dumps({"schema": schema, "version": version, "data": data}, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)  # level 1: a third of the time of level 6 on the 38 corpus files, entries 13% larger


def _unseal(blob: bytes, schema: str, version: str) -> Any:
    """Return the data of a sealed entry, or raise RecordError unless it is intact and of this schema and version."""
    try:
        envelope = json.loads(_inflate(blob).decode("utf-8", "surrogatepass"))
    except (ValueError, RecursionError, zlib.error, MemoryError) as error:
        raise RecordError(f"not a {schema} entry ({type(error).__name__})") from None
    if not isinstance(envelope, dict) or envelope.get("schema") != schema or envelope.get("version") != version:
        raise RecordError("another schema or version")
    return envelope.get("data")


def _inflate(blob: bytes) -> bytes:
    """Decompress a whole zlib stream, refusing trailing bytes and outputs over MAX_DECODED_BYTES."""
    inflater = zlib.decompressobj()
    data = inflater.decompress(blob, MAX_DECODED_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError("entry too large")
    if not inflater.eof or inflater.unused_data:
        raise ValueError("truncated or trailing bytes")
    return data
