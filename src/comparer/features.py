"""Distinctive-term features of Chinese sentences for retrieval (char n-grams, quoted names)."""
from __future__ import annotations

import math
import re
from functools import lru_cache
from itertools import repeat

from .bundled import bundled_text

__all__ = ["features", "GENERIC_WORDS", "background_df", "idf_weights", "shared_phrases", "alias_pairs", "with_aliases",
           "noun_phrases", "subject_hits"]

# Generic plan language occurs in every report; it must not make two sentences match.
GENERIC_WORDS = (
    "进一步", "全面推行", "推进", "推动", "加强", "完善", "深化", "全面", "持续", "提升", "工作", "机制", "建设",
    "健全", "落实", "强化", "优化", "加快", "积极", "不断", "切实", "扎实", "坚持", "实施", "开展", "做好", "抓好",
    "确保", "促进", "进行", "有效", "重点", "相关", "各项", "以及", "更加", "努力", "大力", "着力", "继续", "深入",
    "我们", "要求", "方面", "领域", "体系", "水平", "能力", "质量", "发展", "服务", "管理", "政府", "全区", "本区",
    "今年", "明年", "年度", "主要", "提高", "加大", "力度", "建立", "打造", "构建", "做到", "统筹",
)
_GENERIC = re.compile("|".join(sorted(map(re.escape, GENERIC_WORDS), key=len, reverse=True)))
_QUOTED = re.compile(r'"([^"]{2,20})"|《([^》]{2,40})》')
_BIGRAMS = re.compile(r"(?=([\u4e00-\u9fff]{2}))")
_TRIGRAMS = re.compile(r"(?=([\u4e00-\u9fff]{3}))")
_ALNUM = re.compile(r"[A-Za-z][A-Za-z0-9]+|\d+(?:\.\d+)?%?[\u4e00-\u9fff]?")


def features(text: str) -> list[str]:
    """Return the features of a sentence: CJK 2/3-grams without generic words, names, numbers."""
    names = ["Q:" + (a or b) for a, b in _QUOTED.findall(text)]
    stripped = _GENERIC.sub("|", text)
    # Overlapping n-grams in one C-level pass each (lookahead captures).
    return _BIGRAMS.findall(stripped) + _TRIGRAMS.findall(stripped) + names + ["N:" + m for m in _ALNUM.findall(stripped)]


_NAME = r'[^,，。;；:：()（）]{2,24}?'
_ALIASES = (
    (re.compile(rf'({_NAME})[(（]原({_NAME})[)）]'), False),  # 新名(原旧名)
    (re.compile(rf'({_NAME})已?(?:更名|改名)为({_NAME})(?=[,，。;；]|$)'), True),  # 旧名更名为新名
    (re.compile(rf'({_NAME})[(（](?:以下)?简称["“]?({_NAME})["”]?[)）]'), False),  # 全称(简称X)
)


def alias_pairs(texts) -> list[tuple[str, str]]:
    """Return (name, other name) pairs the texts state: X(原Y), Y更名为X, X(简称Y); quotes dropped."""
    pairs = []
    for text in texts:
        for pattern, _ in _ALIASES:
            for match in pattern.finditer(text):
                first, second = (part.strip('"“” ') for part in match.groups())
                first, second = first.replace('"', ""), second.replace('"', "")
                if len(first) >= 2 and len(second) >= 2:
                    pairs.append((_tail_name(first), second))
    return pairs


_LEADING_VERBS = re.compile(r"^(?:将|把|对|推进|推动|启动|建设|加快|实施|开展|支持|建成|打造|完成|设立|成立|组建|做好|办好|全力|积极|大力)+")


def _tail_name(text: str) -> str:
    """Return the name a phrase ends with, without the verbs before it (推进深圳国际仲裁院 -> 深圳国际仲裁院)."""
    return _LEADING_VERBS.sub("", text)[-16:]


def with_aliases(text: str, pairs) -> str:
    """Return text with the other name of every alias it mentions appended, so renamed things still match."""
    extra = [b for a, b in pairs if a in text and b not in text] + [a for a, b in pairs if b in text and a not in text]
    return text if not extra else text + "|" + "|".join(extra)


def shared_phrases(query: str, candidate: str, top: int = 8) -> list[str]:
    """Return the quoted names, then the longest runs of the query, made of features the candidate also has."""
    common = set(features(query)) & set(features(candidate))
    names = sorted(f[2:] for f in common if f.startswith("Q:"))
    covered = [False] * len(query)
    for size in (2, 3):
        for i in range(len(query) - size + 1):
            if query[i : i + size] in common:
                covered[i : i + size] = [True] * size
    marks = "".join("1" if c else "0" for c in covered)
    phrases = {query[m.start() : m.end()] for m in re.finditer(r"1+", marks)} - set(names)
    ranked = sorted(phrases, key=lambda p: (-len(p), query.find(p)))
    return names + ranked[: max(top - len(names), 0)]


@lru_cache(maxsize=1)
def background_df() -> tuple[int, dict]:
    """Return (sentence count, document frequency per feature) of the bundled background corpus."""
    lines = bundled_text("background_df.tsv.gz").split("\n")
    total = int(lines[0].split("\t")[1])
    table = {}
    for line in lines[1:]:
        if line:
            gram, count = line.split("\t")
            table[gram] = int(count)
    return total, table


def idf_weights(vocabulary: list[str], local_df, local_total: int):
    """Return idf per vocabulary feature from local and background document frequencies."""
    import numpy as np

    total, table = background_df()
    background = np.fromiter(map(table.get, vocabulary, repeat(0)), dtype=float, count=len(vocabulary))
    idf = np.log((total + local_total + 1) / (background + np.asarray(local_df, dtype=float) + 1)) + 1
    return idf


_NOUN_TAGS = ("n", "j", "eng")  # jieba tags of nouns (n, ns, nt, nz, nr…), abbreviations, Latin words


def noun_phrases(text: str) -> list[str]:
    """Return the subject nouns of a sentence: quoted names, runs of noun words, then each noun word; generic words left out.

    绿色建筑 and 颐养院 say what an item is about; the verbs and generic words around them
    (加快建设, 工作, 体系) do not, and a review sentence sharing only those does not report it.
    """
    from .tokens import _jieba

    runs, singles, run, previous = [a or b for a, b in _QUOTED.findall(text)], [], [], ""
    for word, tag in [*_jieba().tag(text), ("", "x")]:
        noun = tag.startswith(_NOUN_TAGS) or (tag == "vn" and bool(run))  # 社会福利|综合|服务中心: a verbal noun inside a run
        if noun and word not in GENERIC_WORDS:
            if not run and len(word) == 1 and len(previous) >= 2 and previous not in GENERIC_WORDS:
                run.append((previous, "v"))  # 颐养|院, 展示|馆: a one-character noun ends the name the word before began
            run.append((word, tag))
            singles += [word] if tag.startswith("n") and len(word) >= 2 else []
        else:
            while run and run[-1][1] == "vn":
                run.pop()  # 项目|启动: a verbal noun ends no name
            phrase = "".join(w for w, _ in run)
            runs += [phrase] if len(phrase) >= 2 else []
            run = []
        previous = word
    return list(dict.fromkeys(runs + singles))


def subject_hits(queries, texts):
    """Return (weights, hits): each query's noun phrases weighted by idf over texts (rows sum to 1), and which texts hold each phrase.

    weights is queries x phrases, hits phrases x texts (0/1); weights @ hits is the share of a
    query's subject found in each text. The idf counts the texts holding a phrase: a noun in
    every clause (企业, 项目) weighs little, a name found once weighs most.
    """
    import numpy as np

    per_query = [noun_phrases(q) for q in queries]
    vocabulary = list(dict.fromkeys(p for phrases in per_query for p in phrases))
    joined = "\x00".join(texts)
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]]) if texts else np.zeros(0, dtype=int)
    hits = np.zeros((len(vocabulary), len(texts)))
    for row, phrase in enumerate(vocabulary):
        at = joined.find(phrase)
        while at >= 0:
            hits[row, np.searchsorted(starts, at, side="right") - 1] = 1.0
            at = joined.find(phrase, at + 1)
    idf = np.log((len(texts) + 1) / (1 + hits.sum(axis=1))) + 1
    weights = np.zeros((len(queries), len(vocabulary)))
    column = {p: i for i, p in enumerate(vocabulary)}
    for row, phrases in enumerate(per_query):
        idx = [column[p] for p in phrases]
        if idx:
            weights[row, idx] = idf[idx] / idf[idx].sum()
    return weights, hits
