"""One change in the file's own characters: the words before, the old and new words, the words after."""
from __future__ import annotations

import re

__all__ = ["change_parts", "side_parts", "flat"]

_CONTEXT = 14  # characters of original text shown either side of a change
_LATIN_BREAK = re.compile(r"(?<=[A-Za-z0-9,.;:])[ \t]*\n\s*(?=[A-Za-z0-9])")


def change_parts(drift, old_raw: str, new_raw: str) -> tuple[str, str, str, str]:
    """Return (before, old, new, after) in the file's own characters, the context from the new side when it has text."""
    old_side, new_side = side_parts(drift, old_raw, new_raw)
    before, _, after = new_side if drift.new_text or not drift.old_text else old_side
    return before, old_side[1], new_side[1], after


def side_parts(drift, old_raw: str, new_raw: str) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """Return (before, changed, after) of each side, in the file's own characters where found, else normalised."""
    return (_side_text(drift.old_span, old_raw, drift.old_original, drift.old_text, drift.old_context),
            _side_text(drift.new_span, new_raw, drift.new_original, drift.new_text, drift.new_context))


def _side_text(span, raw: str, original, text: str, context: str) -> tuple[str, str, str]:
    """Return (before, changed, after) of one side of a change."""
    if span:
        return (_squash(raw[max(0, span[0] - _CONTEXT):span[0]]), _squash(original or ""),
                _squash(raw[span[1]:span[1] + _CONTEXT]))
    return _split_context(context, text)


def _split_context(context: str, changed: str) -> tuple[str, str, str]:
    """Split 'before[changed]after' into its three parts."""
    marker = f"[{changed}]"
    at = context.find(marker)
    return (context[:at], changed, context[at + len(marker):]) if at >= 0 else ("", changed, "")


def _squash(text: str) -> str:
    """Join hand-wrapped lines for display (a line break is a space only between Latin words)."""
    text = _LATIN_BREAK.sub(" ", text.replace("\f", ""))
    return text.replace("\n", "").replace("\t", " ")


def flat(text: str) -> str:
    """Return text on one line for display (a line break is a space only between Latin words)."""
    return _squash(text)
