"""Identity (year, region, issuer) against fixtures/labels/identity.jsonl, per issuer.

The rules are fixed (no fitted threshold), so leave-one-issuer-out is shown as the split between
the issuers the rules were written against (DEVELOPMENT) and the others, scored without change.
Three readings of every labelled document:
- text: the file renamed `document.txt`, so the file name cannot help;
- file name: as stored (the file name may fill what the text lacks);
- renamed places: the text with its district, city and province names replaced by those of
  another real division far away (罗湖/深圳/广东 -> e.g. 江北/宁波/浙江), so rules keyed on the
  names seen here would fail.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

from .common import LABELS, ROOT, Score, per_issuer, read_jsonl, table

DEVELOPMENT = ("国务院", "罗湖区人民政府", "长宁区人民政府", "长宁区人民政府办公室", "长宁区国动办")


@lru_cache(maxsize=1)
def labels() -> list[dict]:
    """Return the identity labels."""
    return read_jsonl(LABELS / "identity.jsonl")


def identify_text(text: str, name: str):
    """Return the DocMeta comparer decides for a text read under a file name."""
    from comparer.identity import identify
    from comparer.ingest import read_data

    return identify(read_data(text.encode("utf-8"), name))


def _read(label: dict) -> str:
    """Return a labelled document's text."""
    from comparer.ingest import read_document

    return read_document(ROOT / label["doc"]).text


def is_right(meta, year: int, region: str, issuer: str) -> bool:
    """Return True when year, region and issuer are all as labelled."""
    return (meta.year, meta.region, meta.issuer) == (year, region, issuer)


def outcomes(reading: str) -> list[tuple[str, bool]]:
    """Return (issuer, right?) for every labelled document under one reading."""
    found = []
    for label in labels():
        text, name = _read(label), "document.txt" if reading != "file name" else label["doc"]
        year, region, issuer = label["year"], label["region"], label["issuer"]
        if reading == "renamed places":
            text, region, issuer = renamed(text, label)
        found.append((label["issuer"], is_right(identify_text(text, name), year, region, issuer)))
    return found


def renamed(text: str, label: dict) -> tuple[str, str, str]:
    """Return the text with the region, its city and province swapped for another real county's, and the new labels."""
    from comparer.divisions import divisions

    table = divisions()
    own = next((d for d in table.named(label["region"]) if d.level == "county"), None)
    if own is None:
        return text, label["region"], label["issuer"]
    target = _far_division(own)
    pairs = [(own.name, target.name), (own.bare, target.bare)]
    for mine, theirs in ((own.parent, target.parent), (own.province, target.province)):
        for a, b in zip(table.named(mine)[:1], table.named(theirs)[:1]):
            pairs += [(a.name, b.name), (a.bare, b.bare)]
    for old, new in sorted(pairs, key=lambda p: -len(p[0])):
        if old:
            text = text.replace(old, new)
    return text, target.name, label["issuer"].replace(own.name, target.name)


def _far_division(own):
    """Return a county of another province, with the same level word and a bare name no other division has (stable choice)."""
    from comparer.divisions import divisions

    table = divisions()
    pool = [d for d in table.rows if d.level == "county" and not d.historical and d.province != own.province
            and d.name[-1] == own.name[-1] and len(d.bare) == len(own.bare) and len(table.by_bare.get(d.bare, [])) == 1
            and len(table.named(d.parent)) == 1 and table.named(d.parent)[0].bare]
    return pool[int(hashlib.sha256(own.name.encode()).hexdigest(), 16) % len(pool)]


def split(scores: list[Score]) -> list[Score]:
    """Add pooled rows for the development issuers and for the others."""
    rows = [s for s in scores if s.issuer != "all"]
    dev = [s for s in rows if s.issuer in DEVELOPMENT]
    held = [s for s in rows if s.issuer not in DEVELOPMENT]
    pooled = [Score(name, sum(s.correct for s in group), sum(s.total for s in group))
              for name, group in (("development issuers", dev), ("other issuers", held))]
    return rows + pooled + [s for s in scores if s.issuer == "all"]


def report() -> str:
    """Return the identity table: accuracy per issuer under each reading."""
    columns = {reading: split(per_issuer(outcomes(reading))) for reading in ("text", "file name", "renamed places")}
    note = ("Rules written against: " + ", ".join(DEVELOPMENT) + " (fixed rules, nothing fitted); "
            "the other issuers are scored as they come.\n")
    return table("Identity: year, region and issuer all right", columns) + "\n" + note
