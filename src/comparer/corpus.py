"""Analyse a folder of reports: identify each, group copies, chain years, follow plans up.

Stages: discover files -> per-document stage (read, normalise, sections, identity, commitments,
figures; cached by content hash; run on a `scale` runner) -> group copies (same region, year
and genre, similar text) -> chain each region's years -> per-pair stage (diff each copy
against its group's representative; follow each plan into the next year's reports) ->
corpus level (indicator series across years, repeats) -> CorpusResult.

Identity, as used for grouping (decided here, documented in the README):
- region: the jurisdiction that reports, without the levels above it: 罗湖区 (not 深圳市罗湖区),
  长宁区, 广东省; the State Council's reports have region 国务院 (the national level).
- issuer: region + office: 罗湖区人民政府, 长宁区人民政府办公室 (区府办), 长宁区国动办. A title that
  names only the region (2024年长宁区法治政府建设情况报告) means the region's government, even
  when a web copy's header names the office that published it (发文机构: 长宁区司法局).
- family: work reports chain with work reports, 法治政府建设 reports and plans with each other.
Found from the text (header, title, first sentence, signature, the place named most often);
the file name (`<region>_<year>_…`) only when the text says nothing.
"""
from __future__ import annotations

import re
import zlib
from bisect import bisect_right
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional, Sequence

from .cache import CACHE_DIRNAME, Cache, digest
from .errors import InputError
from .models import Report

__all__ = [
    "Skipped", "Placed", "Document", "Group", "Link", "Chain", "Series", "CorpusResult",
    "SUFFIXES", "COPY_SIMILARITY", "INDICATOR_SIMILARITY",
    "discover", "analyse", "identify_document", "place_figures", "sketch", "similarity", "family_of",
    "group_copies", "chain_reports", "diff_task", "followup_task", "line_up", "find_template_repeats",
    "run_corpus", "write_outputs",
]

SUFFIXES = (".txt", ".pdf", ".html", ".htm")
# Share of sampled 8-character shingles two texts must share to be copies of one report
# (PDF text vs web text of the Changning report: 0.93; adjacent years of one series: < 0.1).
COPY_SIMILARITY = 0.5
INDICATOR_SIMILARITY = 0.85  # comparer.figures.same_indicator score to line up two figures
# Subjects too generic to name an indicator ("增长 5%" is the growth of whatever the sentence is about).
_GENERIC_SUBJECT = re.compile(r"(?:同比|年均|平均|比上年|分别|累计|总)?(?:增长|下降|提高|上涨|增速|增幅|减少|总量|投入|连续|企业|小区|项目)")
_KIND_RANK = {"pdf": 0, "text": 1, "web": 2}


@dataclass(frozen=True)
class Skipped:
    """A file of the folder that was not analysed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Placed:
    """A figure with where it stands: original line, section path and role, ratio check."""

    figure: object
    line: int
    section: str
    role: str
    check: Optional[object] = None


@dataclass(frozen=True)
class Document:
    """The per-document stage's result: the parsed report and what was found in it."""

    path: str  # relative to the corpus folder
    sha256: str
    report: Report
    region: Optional[str]
    issuer: Optional[str]
    stated_issuer: Optional[str]  # as the text or header says it, before normalising
    identified_by: str  # "text" or "filename"
    commitments: tuple
    figures: tuple  # Placed
    sketch: frozenset
    plan_years: tuple = ()

    @property
    def year(self) -> Optional[int]:
        return self.report.year

    @property
    def genre(self) -> Optional[str]:
        return self.report.meta.genre

    @property
    def kind(self) -> str:
        return self.report.meta.kind


@dataclass(frozen=True)
class Group:
    """Copies of one report (PDF, web, …); the representative comes first."""

    id: str
    region: Optional[str]
    issuer: Optional[str]
    year: Optional[int]
    genre: Optional[str]
    members: tuple  # document indices
    similarity: float  # lowest similarity of a member to the representative


@dataclass(frozen=True)
class Link:
    """A plan (group index) followed up in the next year's reports (group indices)."""

    region: str
    family: str
    plan: int
    later: tuple


@dataclass(frozen=True)
class Chain:
    """One region's reports of one family, by year, with the plan -> next-year links."""

    region: str
    family: str
    groups: tuple
    links: tuple


@dataclass(frozen=True)
class Series:
    """One indicator lined up across a chain's years: (document, figure) index pairs."""

    id: str
    region: str
    family: str
    subject: str
    unit: str
    points: tuple


def discover(root: Path, exclude: Sequence[Optional[Path]] = ()) -> tuple[list, list]:
    """Return ([(path, relative path)], [Skipped]) for the files under root (hidden ones ignored)."""
    banned = {p.resolve() for p in exclude if p is not None}
    found, skipped = [], []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or path.is_dir():
            continue
        if banned & {path.resolve(), *path.resolve().parents}:
            continue
        if path.suffix.lower() in SUFFIXES:
            found.append((path, rel.as_posix()))
        else:
            skipped.append(Skipped(rel.as_posix(), f"not a report file ({path.suffix or 'no suffix'}); comparer reads {', '.join(SUFFIXES)}"))
    return found, skipped


def analyse(task: tuple) -> "Document | Skipped":
    """Run the per-document stage on (relative path, sha256, bytes): read, parse, identify, extract."""
    import tempfile

    from .ingest import read_document
    from .sections import parse_report

    rel, key, data = task
    try:
        with tempfile.TemporaryDirectory(prefix="comparer-") as folder:
            file = Path(folder) / Path(rel).name
            file.write_bytes(data)
            report = parse_report(read_document(file))
        return _document(report, rel, key)
    except InputError as error:
        return Skipped(rel, error.problem)
    except Exception as error:  # noqa: BLE001 - one odd file must not stop the corpus run
        return Skipped(rel, f"cannot analyse ({type(error).__name__}: {error})".splitlines()[0])


def _document(report: Report, rel: str, key: str) -> Document:
    """Identify a parsed report and extract its commitments, figures and text sketch."""
    from .commitments import extract_commitments
    from .roles import plan_span

    region, issuer, source, year = identify_document(report, rel)
    stated = report.meta.issuer
    report = _relabel(report, rel, issuer, year)
    span = plan_span(report.norm.text) if report.meta.genre == "multi-year-plan" else ()
    return Document(
        path=rel, sha256=key, report=report, region=region, issuer=issuer, stated_issuer=stated,
        identified_by=source, commitments=tuple(extract_commitments(report)),
        figures=place_figures(report), sketch=sketch(report.norm.text), plan_years=tuple(span),
    )


def _relabel(report: Report, path: str, issuer: Optional[str], year: Optional[int]) -> Report:
    """Return the report with its path, normalised issuer and year in the metadata."""
    meta = replace(report.meta, path=path, issuer=issuer, year=year)
    return replace(report, raw=replace(report.raw, meta=meta), year=year)


def identify_document(report: Report, rel: str) -> tuple:
    """Return (region, issuer, identified_by, year) of a parsed report; the file name comes last."""
    from .meta import frequent_place, issuer_in_title, split_issuer

    meta = report.meta
    region, issuer = split_issuer(issuer_in_title(meta.title or ""))
    if region is None:
        region, issuer = split_issuer(meta.issuer)
    if region is None:
        region = frequent_place(report.norm.text[:20000])
        issuer = _qualified(issuer, region)
    year, source = report.year, "text"
    if region is None or year is None:
        named_region, named_year = _from_filename(rel)
        region, year, source = region or named_region, year or named_year, "filename"
    return region, issuer or region, source, year


def _qualified(issuer: Optional[str], region: Optional[str]) -> Optional[str]:
    """Put the region before an issuer that leaves it out (区国动办 -> 长宁区国动办)."""
    if not region:
        return issuer
    if not issuer:
        return region + "人民政府"
    return region + issuer[1:] if issuer[0] in "区县市" else issuer


def _from_filename(rel: str) -> tuple[Optional[str], Optional[int]]:
    """Return (region, year) from a name such as shenzhen-luohu_2023_gongzuobaogao.txt."""
    stem = Path(rel).stem
    year = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", stem)
    region = re.split(r"[_\d]", stem, maxsplit=1)[0].strip("-_ ")
    return region or None, int(year.group(1)) if year else None


def place_figures(report: Report) -> tuple:
    """Return the report's figures with line, section, role and the ratio check they state."""
    from .figures import check_ratios, extract_figures

    text = report.norm.text
    figures = extract_figures(text)
    checks = {_rate_index(figures, check): check for check in check_ratios(figures, text)}
    sections = [s for s in report.all_sections() if s.level != "inline"]
    starts = [s.start for s in sections]
    placed = []
    for index, figure in enumerate(figures):
        section = _deepest(sections, starts, figure.offset)
        placed.append(Placed(figure, report.norm.line_at(figure.offset), section.path if section else "",
                             section.role if section else "other", checks.get(index)))
    return tuple(placed)


def _rate_index(figures: list, check) -> Optional[int]:
    """Return the index of the stated rate a ratio check is about."""
    after = max(check.numerator.offset, check.denominator.offset)
    return next((i for i, f in enumerate(figures) if f.offset > after and f.unit == "%" and f.value == check.stated_percent), None)


def _deepest(sections: list, starts: list, offset: int):
    """Return the deepest section (depth-first list) containing offset, or None."""
    index = bisect_right(starts, offset) - 1
    while index >= 0 and sections[index].end <= offset:
        index -= 1
    return sections[index] if index >= 0 else None


def sketch(text: str) -> frozenset:
    """Return a 1-in-8 sample of the hashed 8-character shingles of text (copy detection)."""
    body = re.sub(r"\s+", "", text)
    hashes = (zlib.crc32(body[i:i + 8].encode("utf-8")) for i in range(max(len(body) - 7, 0)))
    return frozenset(h for h in hashes if h % 8 == 0)


def similarity(a: frozenset, b: frozenset) -> float:
    """Return the Jaccard similarity of two sketches."""
    return len(a & b) / len(a | b) if a or b else 1.0


def family_of(genre: Optional[str]) -> str:
    """Return the chain family of a genre: work reports, or 法治 reports and plans."""
    if genre == "work-report":
        return "work"
    return "fazhi" if genre in ("fazhi-report", "multi-year-plan") else "other"


def group_copies(docs: Sequence[Document]) -> list[Group]:
    """Group copies of one report: same region, year and genre, and similar text."""
    buckets: dict[tuple, list[list[int]]] = {}
    for i in sorted(range(len(docs)), key=lambda i: (_KIND_RANK.get(docs[i].kind, 3), docs[i].path)):
        doc = docs[i]
        key = (doc.region, doc.year, doc.genre) if doc.region and doc.year else (None, None, doc.path)
        bucket = buckets.setdefault(key, [])
        home = next((c for c in bucket if similarity(docs[c[0]].sketch, doc.sketch) >= COPY_SIMILARITY), None)
        if home is None:
            bucket.append([i])
        else:
            home.append(i)
    clusters = sorted((c for b in buckets.values() for c in b), key=lambda c: _order(docs[c[0]]))
    return [_group(f"G{n:03d}", docs, members) for n, members in enumerate(clusters, 1)]


def _order(doc: Document) -> tuple:
    """Return the sort key of a report: region, year, genre, path."""
    return (doc.region or "", doc.year or 0, doc.genre or "", doc.path)


def _group(ident: str, docs: Sequence[Document], members: list[int]) -> Group:
    """Build one Group from its member indices (representative first)."""
    lead = docs[members[0]]
    scores = [similarity(lead.sketch, docs[m].sketch) for m in members[1:]]
    return Group(ident, lead.region, lead.issuer, lead.year, lead.genre, tuple(members), round(min(scores, default=1.0), 3))


def chain_reports(docs: Sequence[Document], groups: Sequence[Group]) -> list[Chain]:
    """Chain each region's reports of one family by year and link each plan to the next year."""
    by_key: dict[tuple, list[int]] = {}
    for index, group in enumerate(groups):
        if group.region and group.year:
            by_key.setdefault((group.region, family_of(group.genre)), []).append(index)
    chains = []
    for (region, family), members in sorted(by_key.items()):
        members.sort(key=lambda g: (groups[g].year, groups[g].id))
        links = [_link(docs, groups, g, members, region, family) for g in members]
        chains.append(Chain(region, family, tuple(members), tuple(link for link in links if link)))
    return chains


def _link(docs, groups, g: int, members: list[int], region: str, family: str) -> Optional[Link]:
    """Return the link from group g's plan to its follow-up reports, if it has both."""
    if not docs[groups[g].members[0]].commitments:
        return None
    later = _later(docs, groups, g, members)
    return Link(region, family, g, tuple(later)) if later else None


def _later(docs, groups, g: int, members: list[int]) -> list[int]:
    """Return the groups that follow g up: next year present, or the years a multi-year plan spans."""
    group = groups[g]
    others = [h for h in members if h != g and groups[h].genre != "multi-year-plan"]
    if group.genre == "multi-year-plan":
        span = docs[group.members[0]].plan_years or (group.year,)
        return [h for h in others if span[0] <= groups[h].year <= span[-1]]
    following = [groups[h].year for h in others if groups[h].year > group.year]
    return [h for h in others if following and groups[h].year == min(following)]


def diff_task(task: tuple) -> list[dict]:
    """Diff a copy against its group's representative; return one row per drift."""
    from .diff import diff_reports

    group, old, new = task
    head = {"group": group.id, "region": group.region, "year": group.year, "old_doc": old.meta.path, "new_doc": new.meta.path}
    return [{**head, **row} for row in diff_reports(old, new).rows()]


def followup_task(task: tuple) -> list[dict]:
    """Follow a plan into its later reports; return one row per commitment."""
    from .followup import follow_up

    region, family, plan, later = task
    head = {"region": region, "family": family, "plan_doc": plan.meta.path, "plan_year": plan.year,
            "later_docs": "; ".join(r.meta.path for r in later), "later_years": "; ".join(sorted({str(r.year) for r in later}))}
    return [_followup_row(head, item) for item in follow_up(plan, list(later)).items]


def _followup_row(head: dict, item) -> dict:
    """Return one follow-up row: the commitment, its status and its leading evidence."""
    c, lead = item.commitment, (item.evidence[0] if item.evidence else None)
    return {
        **head, "id": c.id, "status": item.status, "overdue": item.overdue, "text": c.text, "section": c.section,
        "line": c.line, "deadline": c.deadline.phrase if c.deadline else None, "reason": item.reason,
        "evidence_doc": lead.doc if lead else None, "evidence_role": lead.role if lead else None,
        "evidence_section": lead.section if lead else None, "evidence_text": lead.text if lead else None,
        "evidence_line": lead.line if lead else None, "score": lead.score if lead else None,
    }


def _run_pair(job: tuple):
    """Run one per-pair task: (function, arguments)."""
    fn, task = job
    return fn(task)


def line_up(docs: Sequence[Document], groups: Sequence[Group], chains: Sequence[Chain]) -> list[Series]:
    """Line up the same indicator (results figures) across each chain's consecutive years."""
    found = []
    for chain in chains:
        by_year: dict[int, list[tuple[int, int]]] = {}
        for g in chain.groups:
            lead = groups[g].members[0]
            points = [(lead, k) for k, p in enumerate(docs[lead].figures) if p.role == "results" and _indicator_subject(p.figure.subject)]
            by_year.setdefault(groups[g].year, []).extend(points)
        years = sorted(by_year)
        links = [pair for a, b in zip(years, years[1:]) for pair in _matches(docs, by_year[a], by_year[b])]
        found += [(chain, members) for members in _components(links)]
    found.sort(key=lambda item: (item[0].region, item[0].family, docs[item[1][0][0]].year or 0, item[1][0]))
    return [_series(f"I{n:03d}", chain, members, docs) for n, (chain, members) in enumerate(found, 1)]


def _indicator_subject(subject: str) -> bool:
    """Return True when a figure's subject is specific enough to name an indicator."""
    return len(subject) >= 3 and not _GENERIC_SUBJECT.fullmatch(subject)


def _matches(docs, left: list, right: list) -> list[tuple]:
    """Return one-to-one pairs of same-unit figures scoring at least INDICATOR_SIMILARITY."""
    from .figures import same_indicator

    def fig(point: tuple):
        return docs[point[0]].figures[point[1]].figure

    scored = sorted(((same_indicator(fig(a), fig(b)), a, b) for a in left for b in right if fig(a).unit == fig(b).unit), reverse=True)
    used, pairs = set(), []
    for score, a, b in scored:
        if score < INDICATOR_SIMILARITY:
            break
        if a not in used and b not in used:
            used.update((a, b))
            pairs.append((a, b))
    return pairs


def _components(pairs: list[tuple]) -> list[list]:
    """Return the connected components (sorted point lists) of linked points."""
    parent: dict = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    members: dict = {}
    for point in list(parent):
        members.setdefault(root(point), []).append(point)
    return [sorted(m) for m in members.values() if len(m) > 1]


def _series(ident: str, chain: Chain, members: list, docs) -> Series:
    """Build one Series ordered by year, named after its latest figure."""
    points = tuple(sorted(members, key=lambda p: (docs[p[0]].year or 0, p)))
    last = docs[points[-1][0]].figures[points[-1][1]].figure
    return Series(ident, chain.region, chain.family, last.subject, last.unit, points)


def find_template_repeats(reports: Sequence[Report]) -> list[dict]:
    """Return the rows of comparer.repeats.find_repeats (repeated commitments, template text)."""
    from .repeats import find_repeats

    return list(find_repeats(list(reports)).rows())


@dataclass(frozen=True)
class CorpusResult:
    """Everything `comparer corpus` found; owns the exit code and the summary.json form."""

    root: str
    documents: tuple
    skipped: tuple
    groups: tuple
    chains: tuple
    drifts: tuple  # drift rows
    followups: tuple  # per link (chains' links in order): tuple of follow-up rows
    series: tuple
    repeats: tuple  # repeats rows
    engine: str = "local"
    jobs: int = 1
    from_cache: int = 0  # documents whose per-document stage came from the cache (not in summary.json)
    KIND = "corpus"
    SCHEMA = "comparer.corpus/1"

    @property
    def links(self) -> list[Link]:
        """Return every link of every chain, in order."""
        return [link for chain in self.chains for link in chain.links]

    @property
    def exit_code(self) -> int:
        """Return 2 when nothing could be read, 1 with findings, else 0."""
        from .corpus_tables import findings

        if not self.documents:
            return 2
        return 1 if any(findings(self).values()) else 0

    def to_dict(self) -> dict:
        """Return the comparer.corpus/1 JSON form (summary.json)."""
        from .corpus_tables import summary

        return summary(self)

    def rows(self) -> list[dict]:
        """Return one row per region and family: reports, follow-up rate, findings."""
        from .corpus_tables import region_rows

        return region_rows(self)

    def tables(self) -> dict:
        """Return {table name: (columns, rows)} for the files written to --out."""
        from .corpus_tables import tables

        return tables(self)


def run_corpus(root, out: Optional[Path] = None, jobs: int = 1, engine: str = "local", scheduler: Optional[str] = None,
               cache_dir: Optional[Path] = None, use_cache: bool = True, progress: bool = False) -> CorpusResult:
    """Analyse every report under root and return the corpus result."""
    from .scale import open_runner

    root = Path(root)
    if not root.is_dir():
        raise InputError(root, "no such folder" if not root.exists() else "not a folder")
    cache = Cache((cache_dir or root / CACHE_DIRNAME) if use_cache else None)
    cache.prune()
    files, skipped = discover(root, [out, cache.folder])
    with open_runner(engine, jobs, scheduler) as runner:
        docs, failed, hits = _documents(files, cache, runner, progress)
        groups = group_copies(docs)
        chains = chain_reports(docs, groups)
        drifts, followups, repeats = _pairs(docs, groups, chains, runner, progress)
    series = line_up(docs, groups, chains)
    return CorpusResult(str(root), tuple(docs), tuple(sorted(skipped + failed, key=lambda s: s.path)), tuple(groups),
                        tuple(chains), tuple(drifts), tuple(followups), tuple(series), tuple(repeats), engine, jobs, hits)


def _documents(files: list, cache: Cache, runner, show: bool) -> tuple[list, list, int]:
    """Run the per-document stage on cache misses; return (documents, skipped, cache hits) in path order."""
    from .report.progress import progress_bar

    results, tasks, waiting = _from_cache(files, cache)
    hits = sum(1 for r in results if isinstance(r, Document))
    with progress_bar(len(tasks), "reading", show) as advance:
        computed = runner.map(analyse, tasks, advance)
    for task, result in zip(tasks, computed):
        cache.store(task[1], result)
        for i in waiting[task[1]]:
            results[i] = _moved(result, files[i][1])
    return [r for r in results if isinstance(r, Document)], [r for r in results if isinstance(r, Skipped)], hits


def _from_cache(files: list, cache: Cache) -> tuple[list, list, dict]:
    """Read each file; return (results found so far, tasks to run, file indices per digest)."""
    results: list = [None] * len(files)
    tasks, waiting = [], {}
    for i, (path, rel) in enumerate(files):
        data = _read(path, rel)
        if isinstance(data, Skipped):
            results[i] = data
            continue
        key = digest(data)
        hit = cache.load(key) if key not in waiting else None
        if hit is not None:
            results[i] = _moved(hit, rel)
            continue
        if key not in waiting:
            tasks.append((rel, key, data))
        waiting.setdefault(key, []).append(i)
    return results, tasks, waiting


def _read(path: Path, rel: str) -> "bytes | Skipped":
    """Return a file's bytes, or why it cannot be read."""
    from .ingest import MAX_BYTES

    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Skipped(rel, f"too large ({size} bytes; limit {MAX_BYTES}, set COMPARER_MAX_BYTES)")
        return path.read_bytes()
    except OSError as error:
        return Skipped(rel, f"cannot read ({error.strerror or error})")


def _moved(result, rel: str):
    """Return a cached or shared result relabelled with this file's relative path."""
    if isinstance(result, Skipped):
        return replace(result, path=rel)
    if result.path == rel:
        return result
    return replace(result, path=rel, report=_relabel(result.report, rel, result.issuer, result.year))


def _pairs(docs, groups, chains, runner, show: bool) -> tuple[list, list, list]:
    """Run the per-pair stage (and repeats, the longest task, first): return (drift rows, per-link rows, repeats rows)."""
    from .report.progress import progress_bar

    def lead(g: int) -> Report:
        return docs[groups[g].members[0]].report

    repeats = [(find_template_repeats, tuple(lead(g) for g in range(len(groups))))]
    follow = [(followup_task, (l.region, l.family, lead(l.plan), tuple(lead(h) for h in l.later))) for c in chains for l in c.links]
    copies = [(diff_task, (g, docs[g.members[0]].report, docs[m].report)) for g in groups for m in g.members[1:]]
    with progress_bar(1 + len(follow) + len(copies), "comparing", show) as advance:
        results = runner.map(_run_pair, repeats + follow + copies, advance)
    drift_rows = [row for rows in results[1 + len(follow):] for row in rows]
    return drift_rows, [tuple(rows) for rows in results[1:1 + len(follow)]], results[0]


def write_outputs(result: CorpusResult, out: Path) -> list[str]:
    """Write the tables (CSV, Parquet), summary.json and report.html into out; return file names."""
    from .errors import OutputError
    from .output import write_atomic
    from .report.corpus_html import to_html
    from .report.jsonout import to_json
    from .report.tables import write_tables

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(out, f"cannot create folder ({error.strerror or error})") from None
    tables = result.tables()
    written = write_tables(tables, out)
    summary = result.to_dict()
    write_atomic(out / "summary.json", to_json(summary))
    write_atomic(out / "report.html", to_html(summary, {name: rows for name, (_, rows) in tables.items()}))
    return written + ["summary.json", "report.html"]
