"""Frozen records: frozen dataclasses made with one generated function instead of six.

`dataclass(frozen=True)` compiles six methods per class (__init__, __repr__, __eq__, __hash__,
__setattr__, __delattr__); over the 36 records a diff loads that was 32 ms, a fifth of the
whole command's start-up. Here only __init__ is compiled per class (it must stay as fast as
the dataclass one: records are made by the thousand); the other five are shared functions
reading the class's field names. The result is still a dataclass (fields, replace, asdict
work), equal, hashed, shown and frozen like `dataclass(frozen=True)`. Every record (and every
dataclass) needs a docstring: without one, dataclass writes one from inspect.signature, which
parses text with the tokenizer (2-3 ms for the first class).
"""
from __future__ import annotations

import dataclasses
from dataclasses import MISSING, FrozenInstanceError
from operator import attrgetter

__all__ = ["record"]


def record(cls: type) -> type:
    """Make cls a frozen dataclass (the class decorator)."""
    cls = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(cls)
    cls.__init__ = _init_function(cls, fields)
    cls._record_compared = _getter([f.name for f in fields if f.compare])
    cls._record_hashed = _getter([f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    cls._record_shown = tuple(f.name for f in fields if f.repr)
    cls.__eq__, cls.__hash__, cls.__repr__ = _eq, _hash, _repr
    cls.__setattr__, cls.__delattr__ = _refuse_set, _refuse_delete
    return cls


def _init_function(cls: type, fields: tuple):
    """Compile the __init__ of cls: arguments with their defaults, each stored with object.__setattr__."""
    names = {"_set": object.__setattr__, "_FACTORY": _Factory}
    names.update((f"_make_{f.name}", f.default_factory) for f in fields if f.default_factory is not MISSING)
    names.update((f"_default_{f.name}", f.default) for f in fields if f.default is not MISSING)
    params = ["self"] + [_parameter(f) for f in fields if f.init]
    body = [f"  _set(self, {f.name!r}, {value})" for f in fields if (value := _value(f)) is not None]
    body += ["  self.__post_init__()"] if hasattr(cls, "__post_init__") else []
    source = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "  pass")
    exec(source, names)  # noqa: S102 - our own field names, as dataclasses does
    names["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    return names["__init__"]


def _parameter(f: dataclasses.Field) -> str:
    """Return the __init__ parameter of a field, with its default."""
    if f.default_factory is not MISSING:
        return f"{f.name}=_FACTORY"
    return f"{f.name}=_default_{f.name}" if f.default is not MISSING else f.name


def _value(f: dataclasses.Field):
    """Return the expression __init__ stores in a field, None when it stores nothing."""
    if f.default_factory is not MISSING:
        return f"_make_{f.name}() if {f.name} is _FACTORY else {f.name}" if f.init else f"_make_{f.name}()"
    if f.init:
        return f.name
    return f"_default_{f.name}" if f.default is not MISSING else None


class _Factory:
    """Marks an argument left out whose default comes from a factory."""


def _getter(names: list[str]):
    """Return a function giving the tuple of these attributes of a record."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        name = names[0]
        return lambda item: (getattr(item, name),)
    return lambda item: ()


def _eq(self, other) -> bool:
    """Return whether two records of the same class hold equal compared fields."""
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self._record_compared(self) == other._record_compared(other)


def _hash(self) -> int:
    """Return the hash of the hashed fields (as a frozen dataclass does)."""
    return hash(self._record_hashed(self))


def _repr(self) -> str:
    """Return Class(field=value, ...) as a dataclass shows itself."""
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_shown)
    return f"{self.__class__.__qualname__}({shown})"


def _refuse_set(self, name: str, value) -> None:
    """Refuse to change a frozen record."""
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_delete(self, name: str) -> None:
    """Refuse to delete a field of a frozen record."""
    raise FrozenInstanceError(f"cannot delete field {name!r}")
