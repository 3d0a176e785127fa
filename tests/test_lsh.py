"""Template and repeat detection by LSH blocking against the exact join (recall on the shared reports)."""
from __future__ import annotations

from pathlib import Path

import pytest

from comparer.lsh import Blocking, similar_pairs
from comparer.repeats import exact_template_pairs, find_templates, region_of, region_repeats

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _pairs(texts, groups, finder=similar_pairs):
    """Return the set of pairs a finder yields (no earlier joins)."""
    return {tuple(sorted(p)) for p in finder(texts, groups, list(range(len(texts))), lambda i, j: False, Blocking())}


def test_blocking_finds_near_copies_across_groups_and_nothing_else():
    base = "坚持以人民为中心的发展思想，扎实推进共同富裕，持续改善民生福祉，不断增强群众获得感"
    other = "加快建设现代化产业体系，推动制造业高端化智能化绿色化发展，培育壮大战略性新兴产业集群"
    texts = [base, base.replace("扎实", "稳步"), other, base, other.replace("集群", "")]
    groups = [0, 1, 1, 0, 2]
    found = _pairs(texts, groups)
    assert (0, 1) in found and (1, 3) in found  # one word changed, across groups
    assert (0, 3) not in found  # same group: never a template pair
    assert (2, 4) in found and not found & {(0, 2), (1, 2), (0, 4)}


@pytest.fixture(scope="module")
def shared_reports():
    from comparer.load import load_reports

    paths = sorted((FIXTURES / "corpus").glob("*.txt")) + sorted((FIXTURES / "corpus-extra").glob("*.txt"))
    assert len(paths) == 67
    return load_reports(paths)


def _key(member: dict) -> tuple:
    return member["doc"], member["line"]


def test_template_recall_against_the_exact_join(shared_reports):
    exact = find_templates(shared_reports, exact_template_pairs)
    stats = Blocking()
    fast = find_templates(shared_reports, stats=stats)
    assert len(exact) >= 30 and stats.sentences > 10_000
    cluster_of = {_key(m): n for n, cluster in enumerate(fast) for m in cluster["members"]}
    found = sum(1 for cluster in exact if _found(cluster, cluster_of))
    assert found >= 0.95 * len(exact), f"{found}/{len(exact)} template groups found"
    assert stats.compared < stats.sentences  # linear: fewer exact checks than sentences


def _found(cluster: dict, cluster_of: dict) -> bool:
    """Return whether most members of an exact cluster share one blocked cluster holding two of its regions."""
    hits = [cluster_of.get(_key(m)) for m in cluster["members"]]
    best = max(set(hits), key=hits.count)
    regions = {m["region"] for m, h in zip(cluster["members"], hits) if h == best}
    return best is not None and len(regions) > 1


def test_repeats_per_region_are_the_repeats_of_the_whole(shared_reports):
    reports = [r for r in shared_reports if "shenzhen" in r.meta.path and r.year and r.year >= 2022]  # kept cheap
    whole = region_repeats(reports)
    regions = sorted({region_of(r) for r in reports})
    split = [row for region in regions for row in region_repeats([r for r in reports if region_of(r) == region])]
    assert len(regions) >= 3 and len(whole) >= 10
    assert sorted(map(repr, split)) == sorted(map(repr, whole))
