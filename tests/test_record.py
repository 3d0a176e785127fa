"""record: a frozen dataclass made cheaply behaves as dataclass(frozen=True) does."""
from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from dataclasses import FrozenInstanceError, dataclass, field

import pytest
from hypothesis import given, strategies as st

from comparer.load import load_report
from comparer.record import record

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def _pair(**options):
    """Return the same class made by record and by dataclass(frozen=True)."""
    made = []
    for decorate in (record, dataclass(frozen=True)):
        @decorate
        class Item:
            name: str
            count: int = 0
            tags: tuple = field(default_factory=tuple)
            note: str = field(default="", compare=False)
            seen: list = field(default_factory=list, compare=False, repr=False)
        made.append(Item)
    return made


values = st.tuples(st.text(max_size=5), st.integers(-3, 3), st.tuples(st.integers(0, 2)), st.text(max_size=3))


@given(values, values)
def test_equality_hash_and_repr_match_a_frozen_dataclass(one, other):
    ours, theirs = _pair()
    for a, b in ((one, one), (one, other)):
        assert (ours(*a) == ours(*b)) == (theirs(*a) == theirs(*b))
        if ours(*a) == ours(*b):
            assert hash(ours(*a)) == hash(ours(*b))
        assert hash(ours(*a)) == hash(theirs(*a))
    assert repr(ours(*one)) == repr(theirs(*one))


def test_defaults_factories_and_keywords_match():
    ours, theirs = _pair()
    for args, kwargs in (((), {"name": "x"}), (("x", 2), {}), (("x",), {"tags": (1,), "note": "n"})):
        a, b = ours(*args, **kwargs), theirs(*args, **kwargs)
        assert dataclasses.astuple(a) == dataclasses.astuple(b)
    assert ours("x").seen is not ours("x").seen  # a fresh list each time, as default_factory gives
    with pytest.raises(TypeError):
        ours()  # name has no default


def test_frozen_compares_by_class_and_works_with_dataclass_helpers():
    ours, theirs = _pair()
    item = ours("x", 1)
    with pytest.raises(FrozenInstanceError):
        item.count = 2
    with pytest.raises(FrozenInstanceError):
        del item.name
    assert item != theirs("x", 1)  # another class, even with the same fields
    assert dataclasses.is_dataclass(item) and [f.name for f in dataclasses.fields(item)][:2] == ["name", "count"]
    assert dataclasses.replace(item, count=5) == ours("x", 5)


def test_a_real_report_keeps_its_cached_properties_and_pickles():
    report = load_report(SEEDS / "changning_2024_fazhi_report_webtext.txt")
    flat = report.all_sections()  # a cached_property writes into the frozen record
    assert flat and report.all_sections() == flat
    back = pickle.loads(pickle.dumps(report))
    assert back == report and back.all_sections() == flat
    assert {flat[0]: 1}[dataclasses.replace(flat[0])] == 1


def test_every_record_and_dataclass_has_a_docstring():
    """Without one, dataclass builds a docstring with inspect.signature: milliseconds at import (record.py)."""
    import ast

    package = Path(__file__).resolve().parents[1] / "src" / "comparer"
    bare = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            decorators = [ast.unparse(d) for d in getattr(node, "decorator_list", [])]
            if isinstance(node, ast.ClassDef) and any(d == "record" or d.startswith("dataclass") for d in decorators):
                bare += [] if ast.get_docstring(node) else [f"{path.name}:{node.lineno} {node.name}"]
    assert not bare, bare
