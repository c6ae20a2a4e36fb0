"""Language detection for a chat message: Chinese or English.

A character-class test, not a model: the product speaks two languages, and a message with any Chinese
character is answered in Chinese (users mix English product words into Chinese sentences, "我想买
critical illness", far more often than the reverse).
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.errors import AssistantInputError

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")

# CJK Unified Ideographs, extension A and the compatibility block.
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# ASCII and full-width Latin letters.
_LATIN = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")


def detect_language(text: str, *, default: Language = "en") -> Language:
    """Returns "zh" when the text has a Chinese character, "en" when it has Latin letters, else `default`.

    `default` is what to answer for text that says nothing about its language (digits, emoji,
    punctuation, empty): usually the conversation's language so far.
    """
    if default not in LANGUAGES:
        raise AssistantInputError(f"unknown default language {default!r}; valid: {', '.join(LANGUAGES)}")
    if _CJK.search(text):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return default
