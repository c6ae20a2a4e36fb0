"""Text analysis for the lexical index and the texts each item is embedded from.

Chinese runs are segmented with jieba (search mode, which also emits the sub-words of long words)
and additionally split into character bigrams, so a query still matches when jieba segments it
differently from the item or a character is mistyped; Latin runs are lower-cased, stop words dropped
and Snowball-stemmed (PyStemmer).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

import jieba
import Stemmer

from store.formats import CatalogItem

jieba.setLogLevel(logging.WARNING)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:['.][a-z0-9]+)*")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")

EN_STOP = frozenset(
    """a an the and or of to in on for with at by from is are was were be been it its this that these those
    i me my we our you your he she they them their what which who how do does did can could should would
    will about into than then so if not no any some there here as up out just also more most very much
    want need looking look find show tell please get have has had""".split()
)  # fmt: skip
ZH_STOP = frozenset(
    """的 了 是 我 你 他 她 它 们 吗 呢 吧 啊 和 与 及 或 在 有 也 就 都 要 想 请 问 给 个 这 那 什么 怎么 如何
    哪些 哪个 一下 一个 可以 能 会 我们 你们 有没有 推荐 么""".split()
)  # fmt: skip


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def normalize(text: str) -> str:
    """NFKC (full-width → half-width) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def cjk_ratio(text: str) -> float:
    """Share of CJK characters among the letters of `text` (0 for pure English)."""
    letters = [c for c in text if c.isalnum()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _CJK_CHAR.match(c)) / len(letters)


def detect_language(text: str) -> str:
    """'zh' when at least a fifth of the letters are CJK, else 'en' (the two languages served)."""
    return "zh" if cjk_ratio(text) >= 0.2 else "en"


def analyze(text: str) -> list[str]:
    """Lexical terms of `text`: jieba words and `#`-prefixed bigrams for Chinese, stems for English."""
    terms: list[str] = []
    latin: list[str] = []
    for run in _RUNS.findall(normalize(text)):
        if _CJK_RUN.match(run):
            terms.extend(w for w in jieba.cut_for_search(run) if w not in ZH_STOP and w.strip())
            terms.extend("#" + run[i : i + 2] for i in range(len(run) - 1))
        elif run not in EN_STOP:
            latin.append(run)
    if latin:
        terms.extend(_stemmer().stemWords(latin))
    return terms


def _field_text(item: CatalogItem, *, zh: bool) -> tuple[str, str]:
    """(title, description) of the item in one language ('' when it has none)."""
    pairs = [(item.title, item.description), (item.title_zh, item.description_zh), (item.title_en, item.description_en)]
    for title, description in pairs:
        text = f"{title} {description}"
        if text.strip() and (detect_language(text) == "zh") == zh:
            return title, description
    return "", ""


def item_languages(item: CatalogItem) -> tuple[str, ...]:
    """The languages the item has a title and description in."""
    return tuple(lang for lang in ("zh", "en") if any(_field_text(item, zh=lang == "zh")))


def _tag_text(item: CatalogItem, *, zh: bool) -> str:
    tags = [t for t in item.tags if (detect_language(t) == "zh") == zh]
    category = item.category.replace("_", " ")
    return " ".join([*tags, category] if not zh or detect_language(category) == "zh" else tags)


def dense_texts(item: CatalogItem) -> dict[str, str]:
    """One text per language the item has: title, tags, category, description (encoders truncate)."""
    texts: dict[str, str] = {}
    for lang in item_languages(item):
        title, description = _field_text(item, zh=lang == "zh")
        tags = _tag_text(item, zh=lang == "zh")
        texts[lang] = ". ".join(part for part in (title, tags, description) if part)
    return texts


def lexical_text(item: CatalogItem) -> str:
    """All fields in every language; titles and tags twice, a cheap field boost."""
    fields = [item.title, item.title_en, item.title_zh]
    tags = " ".join(item.tags) + " " + item.category.replace("_", " ")
    body = [item.description, item.description_en, item.description_zh]
    return " ".join([*fields, *fields, tags, tags, *body])
