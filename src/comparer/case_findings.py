"""Compare a golden case's expected JSON with a fresh run and describe the changes as findings."""
from __future__ import annotations

from typing import Callable, Iterable, Optional

__all__ = ["findings", "short"]

_TEXT = 40
_PATH = 60


def findings(command: str, expected: dict, actual: dict) -> list[str]:
    """Return one line per change between two outputs of the same command (empty when equal)."""
    if expected == actual:
        return []
    compare = _BY_COMMAND.get(command, _generic_root)
    return compare(expected, actual)


def short(value: object, limit: int = _TEXT) -> str:
    """Return a value as short one-line text for a finding."""
    if value is None:
        return "null"
    text = value if isinstance(value, str) else _compact(value)
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _compact(value: object) -> str:
    """Return a non-string value as compact JSON."""
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _section_path(path: Optional[str]) -> str:
    """Shorten a long 'A > B > C' path to its first and last parts."""
    path = path or "(preamble)"
    parts = path.split(" > ")
    if len(path) <= _PATH or len(parts) < 3:
        return short(path, _PATH)
    return f"{short(parts[0], 20)} > … > {short(parts[-1], 30)}"


# ---- diff ---------------------------------------------------------------------------------------


def _diff(expected: dict, actual: dict) -> list[str]:
    """Compare two comparer.diff/1 outputs: drifts, section pairs, then everything else."""
    out = _keyed(expected.get("drifts", []), actual.get("drifts", []), _drift_key, _drift_label, "drift")
    out += _keyed(expected.get("sections", []), actual.get("sections", []), _pair_key, _pair_label, "section pair")
    return out + _generic(_without(expected, "drifts", "sections"), _without(actual, "drifts", "sections"), "")


def _drift_key(drift: dict) -> tuple:
    """Return what identifies a drift across runs."""
    return drift.get("kind"), drift.get("section"), drift.get("old_text"), drift.get("new_text")


def _drift_label(d: dict) -> str:
    """Describe a drift in a few words: kind, section, change and line."""
    where = _section_path(d.get("section"))
    kind = d.get("kind")
    if kind == "figure":
        change = f"{short(d.get('old_value'))} → {short(d.get('new_value'))}"
    elif kind == "added":
        change = f"+«{short(d.get('new_text'))}»"
    elif kind == "removed":
        change = f"-«{short(d.get('old_text'))}»"
    else:
        change = f"«{short(d.get('old_text'))}» → «{short(d.get('new_text'))}»"
    line = f"old line {d.get('old_line')}" if kind == "removed" else f"new line {d.get('new_line')}"
    return f"{kind} in {where}: {change} ({line})"


def _pair_key(pair: dict) -> tuple:
    """Return what identifies a section pair across runs."""
    return pair.get("old_path"), pair.get("new_path")


def _pair_label(pair: dict) -> str:
    """Describe a section pair: its paths and status."""
    old, new = pair.get("old_path"), pair.get("new_path")
    paths = _section_path(new) if old == new else f"{_section_path(old) if old else '∅'} ⇒ {_section_path(new) if new else '∅'}"
    return f"{paths} [{pair.get('status')}]"


# ---- sections -----------------------------------------------------------------------------------


def _sections(expected: dict, actual: dict) -> list[str]:
    """Compare two comparer.sections/1 outputs section by section (keyed by path)."""
    old, new = _flatten(expected.get("sections", [])), _flatten(actual.get("sections", []))
    out = _keyed(old, new, lambda s: s.get("path"), _section_label, "section", _role_change)
    return out + _generic(_without(expected, "sections"), _without(actual, "sections"), "")


def _flatten(sections: Iterable[dict]) -> list[dict]:
    """Return every section of a tree depth first, without its children."""
    flat = []
    for section in sections:
        flat.append({k: v for k, v in section.items() if k != "children"})
        flat.extend(_flatten(section.get("children", [])))
    return flat


def _section_label(section: dict) -> str:
    """Describe a section: numbered title, role and line."""
    title = f"{section.get('number') or ''}{section.get('title') or ''}"
    return f"{short(title)} (role {section.get('role')}, line {section.get('line')})"


def _role_change(noun: str, old: dict, new: dict) -> tuple[list[str], set]:
    """Describe a section whose role changed, as 'lost role X (now Y)'."""
    if old.get("role") == new.get("role"):
        return [], set()
    title = short(f"{new.get('number') or ''}{new.get('title') or ''}")
    return [f"{noun} {title} lost role {old.get('role')} (now {new.get('role')})"], {"role"}


# ---- align --------------------------------------------------------------------------------------


def _align(expected: dict, actual: dict) -> list[str]:
    """Compare two comparer.align/1 outputs pair by pair (keyed by both documents and paths)."""
    out = _keyed(expected.get("pairs", []), actual.get("pairs", []), _aligned_key, _aligned_label, "aligned pair")
    out += _generic(_without(expected, "pairs"), _without(actual, "pairs"), "")
    return out or ["aligned pairs listed in another order"]


def _aligned_key(pair: dict) -> tuple:
    """Return what identifies an aligned pair across runs."""
    return pair.get("b_doc"), pair.get("a_path"), pair.get("b_path")


def _aligned_label(pair: dict) -> str:
    """Describe an aligned pair: both paths and how they were matched."""
    a, b = pair.get("a_path"), pair.get("b_path")
    return f"{_section_path(a) if a else '∅'} ⇔ {_section_path(b) if b else '∅'} [{pair.get('method')}]"


# ---- keyed lists and the generic fallback -------------------------------------------------------


def _keyed(old: list, new: list, key: Callable, label: Callable, noun: str, special: Optional[Callable] = None) -> list[str]:
    """Match list items by key; report items that appeared, vanished or changed fields."""
    old_groups, new_groups = _group(old, key), _group(new, key)
    out: list[str] = []
    for k in list(old_groups) + [k for k in new_groups if k not in old_groups]:
        before, after = old_groups.get(k, []), new_groups.get(k, [])
        for a, b in zip(before, after):
            out += _item_change(noun, a, b, label, special)
        out += [f"{noun} appeared: {label(item)}" for item in after[len(before):]]
        out += [f"{noun} vanished: {label(item)}" for item in before[len(after):]]
    return out


def _item_change(noun: str, old: dict, new: dict, label: Callable, special: Optional[Callable]) -> list[str]:
    """Describe the changed fields of one matched item."""
    if old == new:
        return []
    out, skip = special(noun, old, new) if special else ([], set())
    changes = [f"{f} {short(old.get(f))} → {short(new.get(f))}" for f in _fields(old, new) if f not in skip and old.get(f) != new.get(f)]
    if changes:
        out.append(f"{noun} {label(new)}: {', '.join(changes)}")
    return out


def _fields(old: dict, new: dict) -> list[str]:
    """Return the keys of two dicts, first one's order first."""
    return list(old) + [k for k in new if k not in old]


def _group(items: list, key: Callable) -> dict:
    """Group items by key, keeping first-seen order."""
    groups: dict = {}
    for item in items:
        groups.setdefault(_hashable(key(item)), []).append(item)
    return groups


def _hashable(value: object) -> object:
    """Return a hashable stand-in for a key."""
    try:
        hash(value)
        return value
    except TypeError:
        return _compact(value)


def _without(data: dict, *keys: str) -> dict:
    """Return a dict without some keys."""
    return {k: v for k, v in data.items() if k not in keys}


def _generic_root(expected: dict, actual: dict) -> list[str]:
    """Compare any two JSON outputs, naming changed values by their JSON path."""
    return _generic(expected, actual, "")


def _generic(old: object, new: object, path: str) -> list[str]:
    """Describe differences between two JSON values by JSON path; lists of {id: …} are keyed by id."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        return _generic_dict(old, new, path)
    if isinstance(old, list) and isinstance(new, list):
        if _has_ids(old) and _has_ids(new):
            noun = _singular(path.rsplit(".", 1)[-1] or "item")
            return _keyed(old, new, lambda item: item["id"], _id_label, noun, _id_fields)
        if _is_placed(old) and _is_placed(new):
            found = _keyed(old, new, _place_key, _place_label, _singular(path.rsplit(".", 1)[-1] or "item"))
            return found or [f"{path} listed in another order"]
        return _generic_list(old, new, path)
    return [f"{path or '(root)'} {short(old)} → {short(new)}"]


def _generic_dict(old: dict, new: dict, path: str) -> list[str]:
    """Compare two dicts key by key."""
    out = []
    for key in _fields(old, new):
        where = f"{path}.{key}" if path else str(key)
        if key not in new:
            out.append(f"{where} removed (was {short(old[key])})")
        elif key not in old:
            out.append(f"{where} added: {short(new[key])}")
        else:
            out += _generic(old[key], new[key], where)
    return out


def _generic_list(old: list, new: list, path: str) -> list[str]:
    """Compare two lists position by position."""
    out = []
    for i, (a, b) in enumerate(zip(old, new)):
        out += _generic(a, b, f"{path}[{i}]")
    out += [f"{path}[{i}] added: {short(v)}" for i, v in enumerate(new[len(old):], len(old))]
    out += [f"{path}[{i}] removed (was {short(v)})" for i, v in enumerate(old[len(new):], len(new))]
    return out


def _id_fields(noun: str, old: dict, new: dict) -> tuple[list[str], set]:
    """Describe the changed fields of two items with the same id, nested values by path."""
    out = []
    for key in _fields(old, new):
        if old.get(key) != new.get(key):
            if isinstance(old.get(key), (dict, list)) and isinstance(new.get(key), (dict, list)):
                out += [f"{noun} {old['id']} {line}" for line in _generic(old.get(key), new.get(key), str(key))]
            else:
                out.append(f"{noun} {old['id']} {key} {short(old.get(key))} → {short(new.get(key))}")
    return out, set(_fields(old, new))


def _id_label(item: dict) -> str:
    """Describe an item with an id by its id and its text, if it has one."""
    text = next((item[k] for k in ("text", "title", "plan_text", "name") if isinstance(item.get(k), str)), None)
    return f"{item['id']} «{short(text)}»" if text else str(item["id"])


def _is_placed(items: list) -> bool:
    """Return True for a non-empty list of dicts that each name a line and a text (evidence)."""
    return bool(items) and all(isinstance(item, dict) and "line" in item and "text" in item for item in items)


def _place_key(item: dict) -> tuple:
    """Return what identifies a placed item (evidence) across runs."""
    return item.get("doc"), item.get("role"), item.get("line"), item.get("text")


def _place_label(item: dict) -> str:
    """Describe a placed item: role, line and text."""
    return f"{item.get('role') or ''} line {item.get('line')} «{short(item.get('text'))}»"


def _has_ids(items: list) -> bool:
    """Return True for a non-empty list of dicts that all carry an 'id'."""
    return bool(items) and all(isinstance(item, dict) and "id" in item for item in items)


def _singular(name: str) -> str:
    """Return a rough singular of a JSON list name ('commitments' → 'commitment')."""
    name = name.split("[", 1)[0]
    if name.endswith("ies"):
        return name[:-3] + "y"
    return name[:-1] if name.endswith("s") and len(name) > 1 else name


_BY_COMMAND: dict[str, Callable[[dict, dict], list[str]]] = {"diff": _diff, "sections": _sections, "align": _align}
