"""PII masking: what a user types is masked before it is stored or logged.

Found: mainland mobile numbers (with +86 / 0086 / 86 and space or dash grouping), 18-digit resident ID
numbers whose GB 11643 check character and birth date are right, bank card numbers of 13-19 digits
that pass Luhn, e-mail addresses, and international or mainland landline numbers that
`phonenumbers` (Google's libphonenumber metadata) calls valid.

Masked forms keep the last four characters so a person can still tell numbers apart:
`[PHONE ****5678]`, `[ID ****123X]`, `[CARD ****1234]`; an e-mail keeps only its domain,
`[EMAIL ****@example.com]` (the part that identifies the person is the local part).

Digits are checked, not just counted, so that order numbers, amounts, dates and years stay readable:
an 18-digit number with a wrong ID check character is not an ID, a 16-digit number failing Luhn is not
a card, a Luhn-valid number right after "订单号"/"order no." is treated as the order number it says it
is, and digits glued to letters (policy numbers like PA2026...) are never candidates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import phonenumbers

PiiKind = Literal["phone", "id_number", "bank_card", "email"]
PII_KINDS: tuple[PiiKind, ...] = ("phone", "id_number", "bank_card", "email")

_LABELS: dict[PiiKind, str] = {"phone": "PHONE", "id_number": "ID", "bank_card": "CARD", "email": "EMAIL"}

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?![A-Za-z0-9-])"
)
# A run of digit groups joined by one space or dash (optionally with a leading "+", "(0)" or brackets
# around an area code); never touching Latin letters, other digits, or a decimal point.
_NUMBER_RUN = re.compile(
    r"(?<![A-Za-z0-9.+])"
    r"\+?[0-9]+(?:[ \-\u00a0]\(?[0-9]+\)?)*[Xx]?"
    r"(?![A-Za-z0-9]|\.[0-9])"
)
_GROUP = re.compile(r"\+?\(?[0-9]+\)?[Xx]?")
_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9][0-9]{9})")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Words that say the number right after them is a reference, not a card.
_REFERENCE_CONTEXT = re.compile(
    r"(?:订单|单号|编号|流水号|运单|快递|保单号|合同号|发票|工单|"
    r"order|ref(?:erence)?|invoice|ticket|tracking|policy|contract|no\.|number|#)\s*(?:号|no\.?|number|id|#)?\s*[:：]?\s*$",
    re.IGNORECASE,
)
_MIN_DIGITS = 7


@dataclass(frozen=True)
class PiiMatch:
    """One masked span: its kind, where it was in the original text, and what replaced it."""

    kind: PiiKind
    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class MaskResult:
    """The masked text and what was masked (the raw values are deliberately not kept)."""

    text: str
    found: tuple[PiiMatch, ...]

    @property
    def kinds(self) -> set[PiiKind]:
        return {match.kind for match in self.found}


def id_number_is_valid(number: str) -> bool:
    """GB 11643 check character and a real birth date (1900 or later, not in the future)."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17].upper():
        return False
    if number[0] not in "12345678":
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= dt.date.today()


def luhn_is_valid(number: str) -> bool:
    """The Luhn (mod 10) check every bank card number carries."""
    if not number.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


class PiiMasker:
    """Masks personal numbers and e-mails in a message; stateless and safe to share between threads."""

    def __init__(self, *, default_region: str = "CN") -> None:
        self.default_region = default_region

    def mask(self, text: str) -> MaskResult:
        """Returns the text with every PII span replaced, and the spans (in the original text)."""
        matches: list[PiiMatch] = []
        taken: list[tuple[int, int]] = []
        for m in _EMAIL.finditer(text):
            matches.append(PiiMatch("email", m.start(), m.end(), f"[EMAIL ****@{m.group(1)}]"))
            taken.append((m.start(), m.end()))
        for m in _NUMBER_RUN.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if sum(ch.isdigit() for ch in m.group()) < _MIN_DIGITS:
                continue
            matches.extend(self._classify_run(text, m.start(), m.group()))
        if not matches:
            return MaskResult(text, ())
        matches.sort(key=lambda x: x.start)
        pieces: list[str] = []
        cursor = 0
        for match in matches:
            pieces.append(text[cursor : match.start])
            pieces.append(match.replacement)
            cursor = match.end
        pieces.append(text[cursor:])
        return MaskResult("".join(pieces), tuple(matches))

    def _classify_run(self, text: str, offset: int, run: str) -> list[PiiMatch]:
        """Finds PII in a run of digit groups: the longest group sequence that is PII, left to right.

        Trying sub-sequences matters when separate numbers sit side by side ("I'm 35 13812345678").
        """
        groups = [(g.start(), g.end()) for g in _GROUP.finditer(run)]
        found: list[PiiMatch] = []
        i = 0
        while i < len(groups):
            for j in range(len(groups), i, -1):
                start, end = groups[i][0], groups[j - 1][1]
                kind = self._kind_of(run[start:end], text[: offset + start])
                if kind is not None:
                    digits = re.sub(r"[^0-9Xx]", "", run[start:end])
                    label = f"[{_LABELS[kind]} ****{digits[-4:].upper()}]"
                    found.append(PiiMatch(kind, offset + start, offset + end, label))
                    i = j
                    break
            else:
                i += 1
        return found

    def _kind_of(self, candidate: str, before: str) -> PiiKind | None:
        plain = re.sub(r"[ \-\u00a0()]", "", candidate)
        digits = plain.lstrip("+")
        if len(digits.rstrip("Xx")) < _MIN_DIGITS:
            return None
        if _MOBILE.fullmatch(plain):
            return "phone"
        if len(digits) == 18 and id_number_is_valid(digits):
            return "id_number"
        if not digits.isdigit():
            return None
        if plain.startswith(("+", "00")):
            return (
                "phone" if self._valid_phone(plain.replace("00", "+", 1) if plain.startswith("00") else plain) else None
            )
        if (
            13 <= len(digits) <= 19
            and digits[0] in "3456"
            and luhn_is_valid(digits)
            and not _REFERENCE_CONTEXT.search(before[-24:])
        ):
            return "bank_card"
        # Landlines are only taken in their written form, 0 + area code + separator ("010-6275 1234"),
        # so that long bare numbers (order ids, amounts) are not read as phone numbers.
        if digits.startswith("0") and candidate[0] == "0" and re.match(r"0[0-9]{2,3}[ \-]", candidate):
            return "phone" if self._valid_phone(digits, region=self.default_region) else None
        return None

    @staticmethod
    def _valid_phone(number: str, region: str | None = None) -> bool:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            return False
        return bool(phonenumbers.is_valid_number(parsed))


_DEFAULT = PiiMasker()


def mask_pii(text: str) -> MaskResult:
    """Masks with the shared default masker."""
    return _DEFAULT.mask(text)
