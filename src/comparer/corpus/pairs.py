"""The per-pair stage of a corpus run: diff copies, follow plans up, repeats per region, template text (small tasks)."""
from __future__ import annotations

from .spilled import PerPart, Rows

__all__ = ["diff_task", "followup_task", "targets_task", "link_task", "region_task", "templates_task", "call",
           "compare_pairs"]


def _reports(store, refs) -> tuple:
    """Return the reports of (sha256, path) document references, loaded from the store."""
    from .store import load_document

    return tuple(load_document(store, sha, path).report for sha, path in refs)


def diff_task(task: tuple) -> list[dict]:
    """Diff a copy (new) against its group's representative (old); return one row per drift (the group is added later)."""
    from ..diff import diff_reports

    store, refs = task
    old, new = _reports(store, refs)
    return [{"old_doc": old.meta.path, "new_doc": new.meta.path, **row} for row in diff_reports(old, new).rows()]


def followup_task(task: tuple) -> list[dict]:
    """Follow a plan into its later reports; return one row per commitment."""
    from ..followup import follow_up

    region, family, plan, later = task
    head = {"region": region, "family": family, "plan_doc": plan.meta.path, "plan_year": plan.year,
            "later_docs": "; ".join(r.meta.path for r in later), "later_years": "; ".join(sorted({str(r.year) for r in later}))}
    return [_followup_row(head, item) for item in follow_up(plan, list(later)).items]


def _followup_row(head: dict, item) -> dict:
    """Return one follow-up row: the commitment, its status and its leading evidence."""
    c, lead = item.commitment, (item.evidence[0] if item.evidence else None)
    return {
        **head, "id": c.id, "status": item.status, "confidence": item.confidence, "overdue": item.overdue, "text": c.text,
        "section": c.section,
        "line": c.line, "deadline": c.deadline.phrase if c.deadline else None, "reason": item.reason,
        "evidence_doc": lead.doc if lead else None, "evidence_role": lead.role if lead else None,
        "evidence_section": lead.section if lead else None, "evidence_text": lead.text if lead else None,
        "evidence_line": lead.line if lead else None, "score": lead.score if lead else None,
    }


def targets_task(task: tuple) -> list[dict]:
    """Judge every quantified target of a plan against its later reports; return one row per target."""
    from ..followup import follow_targets

    region, family, plan, later = task
    head = {"region": region, "family": family, "plan_doc": plan.meta.path, "plan_year": plan.year,
            "later_docs": "; ".join(r.meta.path for r in later), "later_years": "; ".join(sorted({str(r.year) for r in later}))}
    return [{**head, **row} for row in follow_targets(plan, list(later)).rows()]


def link_task(task: tuple) -> tuple[list[dict], list[dict]]:
    """Follow a plan into its later reports: return (follow-up rows, target rows); the worker loads the reports once."""
    store, region, family, refs = task
    plan, *later = _reports(store, refs)
    loaded = (region, family, plan, tuple(later))
    return followup_task(loaded), targets_task(loaded)


def region_task(task: tuple) -> list[dict]:
    """Return the repeats rows (recurring indicators, carried-over commitments) of one region's (reports, commitments)."""
    from ..repeats import RepeatsResult, region_repeats
    from .store import load_document

    store, refs = task
    docs = [load_document(store, sha, path) for sha, path in refs]
    reports, commitments = tuple(d.report for d in docs), tuple(d.commitments for d in docs)
    return RepeatsResult((), tuple(region_repeats(list(reports), commitments)), ()).rows()


def templates_task(task: tuple) -> list[dict]:
    """Return the template-text rows of the documents (store, [(sha256, path, region)]): their stored sentences only."""
    from ..repeats import RepeatsResult, cluster_templates
    from .store import load_sentences

    store, docs = task
    sentences = [(k, text, line) for k, (sha, _, _) in enumerate(docs) for text, line in load_sentences(store, sha)]
    given = (sentences, [region for _, _, region in docs], [path for _, path, _ in docs])
    return RepeatsResult((), (), tuple(cluster_templates(given))).rows()


def _region_jobs(leads: list, store) -> list[tuple]:
    """Return one repeats job per region (regions in order of first appearance) from the groups' lead documents."""
    by_region: dict = {}
    for doc in leads:
        by_region.setdefault(region_key(doc), []).append(doc)
    return [_job(region_task, (store, _refs(docs)), region, docs) for region, docs in by_region.items()]


def region_key(doc) -> str:
    """Return the region identity of a document (repeats.region_of: region, else issuer, else path)."""
    return doc.region or doc.issuer or doc.path


def _refs(docs) -> tuple:
    """Return the (sha256, path) references of documents (what a task loads from the store)."""
    return tuple((d.sha256, d.path) for d in docs)


def _job(fn, task, *identity) -> tuple:
    """Return (fn, task, cache key): the key hashes the task kind and its inputs' identities (documents: content hash and path)."""
    import json

    from .cache import digest

    def plain(item):
        return [item.sha256, item.path] if hasattr(item, "sha256") else [plain(i) for i in item] if isinstance(item, (list, tuple)) else item

    return fn, task, digest(json.dumps([fn.__name__, plain(identity)], ensure_ascii=False).encode("utf-8"))


def compare_pairs(docs, groups, chains, runner, show: bool, clock=None, cache=None, store=None, spool=None) -> tuple:
    """Run the per-pair stage as small parallel tasks, longest first: template text, repeats per region, links, copies.

    docs: store.Stub records; each task names its documents by (sha256, path) and the worker loads them
    from the store. Each task's result is cached under the content hashes of its documents, so a re-run
    computes only what new or changed documents touch, and its rows go to the spool as they arrive.
    Return (drift rows, per-link follow-up rows, repeats rows, target rows, (tasks loaded from the cache,
    all tasks)) as spilled.Rows / PerPart.
    """
    leads = [docs[g.members[0]] for g in groups]
    regions = _region_jobs(leads, store)
    links = [_job(link_task, (store, l.region, l.family, _refs([leads[l.plan], *(leads[h] for h in l.later)])),
                  l.region, l.family, leads[l.plan], [leads[h] for h in l.later]) for c in chains for l in c.links]
    pairs = [(g, m) for g in groups for m in g.members[1:]]
    copies = [_job(diff_task, (store, _refs([docs[g.members[0]], docs[m]])), docs[g.members[0]], docs[m]) for g, m in pairs]
    templates = _job(templates_task, (store, tuple((d.sha256, d.path, region_key(d)) for d in leads)),
                     [(d, d.region) for d in leads])
    jobs = [templates] + regions + links + copies
    rank = {region: k for k, region in enumerate(dict.fromkeys(region_key(d) for d in leads))}
    places = ([(0, 0)] + [(1, k) for k in range(len(regions))] + [(2, rank[region_key(leads[l.plan])]) for c in chains for l in c.links]
              + [(2, rank[region_key(docs[g.members[0]])]) for g, _ in pairs])
    r, n = 1 + len(regions), 1 + len(regions) + len(links)
    kinds = ("recurring-indicator", "carried-over")  # the order of repeats.find_repeats: every region's indicators first

    def spooled(i: int, result) -> list:
        """Spool a job's rows: templates, a region's rows by kind, a link's follow-up and target rows, a copy's drifts."""
        if 0 < i < r:
            return [spool.add([row for row in result if row.get("kind") == kind]) for kind in kinds]
        if r <= i < n:
            return [spool.add(result[0]), spool.add(result[1])]
        if i >= n:
            g = pairs[i - n][0]
            return [spool.add([{"group": g.id, "region": g.region, "year": g.year, **row} for row in result])]
        return [spool.add(result)]

    found, reused = _run(runner, jobs, cache, show, places, spooled)
    if clock is not None:
        clock.lap("pairs")
    repeats = Rows([found[i][k] for k in range(2) for i in range(1, r)] + found[0])
    return (Rows([found[i][0] for i in range(n, len(jobs))]), PerPart([found[i][0] for i in range(r, n)]), repeats,
            Rows([found[i][1] for i in range(r, n)]), (reused, len(jobs)))


def _shape(link: bool):
    """Return the check of a cached task result: rows (dicts), or a link's [follow-up rows, target rows]."""
    def rows(value) -> bool:
        return isinstance(value, list) and all(isinstance(row, dict) for row in value)

    return (lambda value: isinstance(value, list) and len(value) == 2 and all(map(rows, value))) if link else rows


def _run(runner, jobs: list, cache, show: bool, places: list, spooled) -> tuple[list, int]:
    """Run the (fn, task, key) jobs not in the cache; return the spooled parts of every job and how many came from the cache.

    Each result is cached (plain JSON) and spooled as it arrives, then dropped. places: where each job
    runs in the queue, (phase, region): the template task, then each region's repeats (the longest),
    then links and copies region by region, so a worker finds a region's documents still loaded from
    its previous task and the short tasks come last, keeping both workers busy to the end. The jobs
    without a cache entry are submitted first; the cached results are read while the workers run
    (an entry found damaged then is run after the others).
    """
    from ..report.progress import progress_bar
    from .store import forget_documents

    found: list = [None] * len(jobs)
    todo = sorted((i for i, job in enumerate(jobs) if cache is None or not cache.has(job[2])), key=lambda i: (places[i], i))
    kept = lambda i, result: _keep(cache, jobs[i][2], result, found, i, spooled)  # noqa: E731
    try:
        with progress_bar(len(todo), "comparing", show) as advance:
            running = runner.each(call, [jobs[i][:2] for i in todo], advance)  # a pool starts on them now
            again = _from_cache(cache, jobs, set(todo), found, spooled)
            for k, result in running:
                kept(todo[k], result)
        for k, result in runner.each(call, [jobs[i][:2] for i in again]):
            kept(again[k], result)
    finally:
        forget_documents()  # this process's documents (tasks run here with --jobs 1)
    return found, len(jobs) - len(todo) - len(again)


def _from_cache(cache, jobs: list, skip: set, found: list, spooled) -> list:
    """Spool the cached result of every job not in skip; return the jobs whose entry is damaged or gone."""
    again = []
    for i, (fn, _, key) in enumerate(jobs):
        if i in skip:
            continue
        result = cache.load_plain(key, _shape(fn is link_task))
        if result is None:
            again.append(i)
        else:
            found[i] = spooled(i, result)
    return again


def _keep(cache, key: str, result, found: list, i: int, spooled) -> None:
    """Cache a job's fresh result and spool it."""
    if cache is not None:
        cache.store(key, result, plain=True)
    found[i] = spooled(i, result)


def call(job: tuple):
    """Return fn(task) of a (fn, task) job (what a worker runs)."""
    fn, task = job
    return fn(task)
