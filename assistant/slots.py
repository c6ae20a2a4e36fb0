"""Slot extraction for Chinese and English messages: profile facts, product wishes, report filters.

Rules over a normalised copy of the message, not a model: the slots are few, their wording is
regular, and every value must be explainable to the user who typed it. Chinese numerals are turned
into digits with `cn2an` ("三十五岁" → "35岁", "一万五" → "15000"); Chinese domain words are found with
a private `jieba` tokenizer whose user dictionary holds the lexicon (so the shared global jieba used by
the search index is left alone). Everything heavy (jieba's dictionary, the compiled patterns) is built
once per process and shared.

Conventions a caller relies on:
- `annual_income` is yearly: a monthly figure ("月薪2万", "20k a month") is multiplied by 12 (no
  13th-month pay assumed) and `income_period` says which the user gave.
- Amounts keep the currency the user wrote (None when none was written; the profile stores CNY).
- Date ranges are inclusive `[start, end]` relative to the `today` given: "this week/本周" is Monday to
  today, "last week/上周" the previous Monday–Sunday, "last N days/近N天" ends today and has N days,
  a quarter or month without a year is the latest one that has started.
- Run extraction on the PII-masked text: masked numbers are never read as amounts.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
import threading
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Literal

import cn2an
import jieba

from assistant.language import Language, detect_language
from assistant.lexicon import CAMPAIGN_ALIASES, LEXICON, LIFE_GENERIC, SUBSTRING_SLOTS

logger = logging.getLogger(__name__)

Period = Literal["year", "month"]
AmountRole = Literal["income", "budget", "amount"]


@dataclass(frozen=True)
class DateRange:
    """An inclusive date range and the words it came from."""

    start: dt.date
    end: dt.date
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "text": self.text}


@dataclass(frozen=True)
class Amount:
    """A money amount with what it is for (income, budget, or unknown) and its period if stated."""

    value: float
    role: AmountRole
    period: Period | None
    currency: str | None
    text: str


@dataclass(frozen=True)
class Slots:
    """Everything found in one message; empty fields mean "not said" (never "no")."""

    age: int | None = None
    annual_income: float | None = None
    income_period: Period | None = None
    budget: float | None = None
    budget_period: Period | None = None
    amounts: tuple[Amount, ...] = ()
    marital_status: str | None = None
    children_count: int | None = None
    children_ages: tuple[int, ...] = ()
    parents_age: int | None = None
    elderly_parents: bool | None = None
    occupation: str | None = None
    city: str | None = None
    risk_hint: str | None = None
    product_type: str | None = None
    insurance_types: tuple[str, ...] = ()
    finance_types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    campaign: str | None = None
    channel: str | None = None
    channels: tuple[str, ...] = ()
    date_range: DateRange | None = None

    def filled(self) -> dict[str, Any]:
        """The slots that were found, JSON-ready (for dialogue state and logs)."""
        out: dict[str, Any] = {}
        for name, value in asdict(self).items():
            if value is None or value == ():
                continue
            if name == "date_range" and self.date_range is not None:
                value = self.date_range.to_dict()
            elif name == "amounts":
                value = [asdict(a) for a in self.amounts]
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out

    def profile_changes(self) -> dict[str, Any]:
        """Fields for `store.repository.update_profile` (income annual; `family` holds only the keys said,
        so merge it over the stored family: `{**profile.family, **changes["family"]}`)."""
        changes: dict[str, Any] = {}
        if self.age is not None:
            changes["age"] = self.age
        if self.annual_income is not None:
            changes["income"] = self.annual_income
        if self.occupation is not None:
            changes["occupation"] = self.occupation
        if self.city is not None:
            changes["city"] = self.city
        family: dict[str, Any] = {}
        if self.marital_status is not None:
            family["marital_status"] = self.marital_status
        if self.children_ages or self.children_count is not None:
            family["children"] = list(self.children_ages)
            if self.children_count is not None:
                family["children_count"] = self.children_count
        if self.elderly_parents is not None:
            family["elderly_parents"] = self.elderly_parents
        if self.parents_age is not None:
            family["parents_age"] = self.parents_age
        if family:
            changes["family"] = family
        return changes


# ---------------------------------------------------------------------------------------------------
# Normalisation

_CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")
_CN_DIGIT = re.compile(r"[零〇一二两三四五六七八九十]")


def _cn_to_arabic(match: re.Match[str]) -> str:
    run = match.group()
    if not _CN_DIGIT.search(run):  # "百万医疗", "千万" are words, not numbers
        return run
    try:
        value = cn2an.cn2an(run, "smart")
    except (ValueError, KeyError, IndexError):
        return run
    return str(int(value)) if float(value).is_integer() else str(value)


def normalize(text: str) -> str:
    """Full-width → ASCII, curly quotes → straight, lower case, Chinese numerals → digits."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'").lower()
    return _CN_NUMERAL.sub(_cn_to_arabic, text)


# ---------------------------------------------------------------------------------------------------
# Lexicon matching

_ZH_CHAR = re.compile(r"[\u4e00-\u9fff]")
_EN_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "twins": 2}


def _alternation(terms: list[str]) -> str:
    return "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True))


class _Lexicon:
    """The lexicon compiled for matching: English by one regex, Chinese by jieba tokens or substrings."""

    def __init__(self) -> None:
        self.terms: dict[str, list[tuple[str, str]]] = {}
        for slot, values in LEXICON.items():
            for value, words in values.items():
                for word in words:
                    self.terms.setdefault(word, []).append((slot, value))
        en = [w for w in self.terms if not _ZH_CHAR.search(w)]
        zh_sub = [
            w for w, hits in self.terms.items() if _ZH_CHAR.search(w) and any(s in SUBSTRING_SLOTS for s, _ in hits)
        ]
        self.en_pattern = re.compile(rf"(?<![a-z0-9_])(?:{_alternation(en)})(?![a-z0-9_])")
        self.zh_sub_pattern = re.compile(_alternation(zh_sub))
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        for word in self.terms:
            if _ZH_CHAR.search(word):
                self.tokenizer.add_word(word, freq=100_000)

    def find(self, text: str) -> list[tuple[int, str, str, str]]:
        """(position, slot, value, surface word) for every lexicon word in the normalised text."""
        hits: list[tuple[int, str, str, str]] = []
        for m in self.en_pattern.finditer(text):
            for slot, value in self.terms[m.group()]:
                hits.append((m.start(), slot, value, m.group()))
        if _ZH_CHAR.search(text):
            for m in self.zh_sub_pattern.finditer(text):
                for slot, value in self.terms[m.group()]:
                    if slot in SUBSTRING_SLOTS:
                        hits.append((m.start(), slot, value, m.group()))
            for token, start, _ in self.tokenizer.tokenize(text):
                for slot, value in self.terms.get(token, ()):
                    if slot not in SUBSTRING_SLOTS:
                        hits.append((start, slot, value, token))
        hits.sort(key=lambda h: h[0])
        return hits

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        return list(self.tokenizer.tokenize(text))


_LEXICON: _Lexicon | None = None
_LEXICON_LOCK = threading.Lock()


def _lexicon() -> _Lexicon:
    global _LEXICON
    if _LEXICON is None:
        with _LEXICON_LOCK:
            if _LEXICON is None:
                previous = jieba.default_logger.level
                jieba.setLogLevel(logging.WARNING)
                try:
                    _LEXICON = _Lexicon()
                finally:
                    jieba.setLogLevel(previous)
    return _LEXICON


# ---------------------------------------------------------------------------------------------------
# Patterns

_CLAUSE_BREAK = re.compile(r"[,，。.;；!！?？\n]|\band\b|\bbut\b|但是|而且|并且")
_NEGATION_BEFORE = re.compile(r"(?:不|不是|别|并不|not|n't|no)\s*$")

_AGE_ZH = re.compile(r"(\d{1,3})\s*(?:多|来)?\s*(?:周岁|岁)")
_AGE_ZH_BARE = re.compile(
    r"(?:今年|年龄\s*[:是]?|年纪\s*[:是]?|我)\s*(\d{2})(?:\s*(?:了|啦|出头))?(?![\d.]|\s*(?:多)?\s*(?:年|月|号|日|万|千|元|块|%|w|k|个|岁|周岁))"
)
_AGE_ZH_LE = re.compile(r"(?<![\d.])(\d{2})\s*(?:了|啦)(?=$|[,，。!！?？\s])")
_AGE_EN_SELF = re.compile(
    r"\b(?:i am|i'm|im|i’m|i turned|i'll be|i will be)\s+(?:now\s+)?(\d{1,3})\b"
    r"(?!\s*(?:k\b|%|kg|cm|lbs?|pounds|dollars|yuan|rmb|usd|bucks|minutes|hours|months|weeks|days)|[.,]\d)"
)
_AGE_EN_YEARS = re.compile(r"\b(\d{1,3})\s*[- ]?\s*(?:years?|yrs?)[- ]*old\b|\b(\d{1,3})\s*y/?o\b")
_AGE_EN_AGED = re.compile(r"\b(?:aged?|age:)\s*(\d{1,3})\b")
_AGE_EN_DECADE = re.compile(r"\bin (?:his|her|their|my) (\d)0s\b")
_AGE_EN_IS = re.compile(
    r"\bmy (son|daughter|kid|child|boy|girl|baby|mom|mum|mother|dad|father|parents|wife|husband)"
    r"(?:'s| is| are)\s+(\d{1,3})\b(?!\s*(?:k\b|%|kg|cm))"
)

_CHILD_KW = re.compile(
    r"孩子|小孩|儿子|女儿|闺女|宝宝|宝贝|娃|老大|老二|大的|小的|个\s*$|"
    r"\b(?:son|sons|daughter|daughters|kid|kids|child|children|baby|babies|boy|girl|twins|toddler)\b"
)
_PARENT_KW = re.compile(
    r"父母|爸妈|爸爸|妈妈|父亲|母亲|老人|公婆|岳父|岳母|双亲|老爸|老妈|"
    r"\b(?:parents|parent|mom|mum|mother|dad|father|in-laws)\b"
)
_SPOUSE_KW = re.compile(r"老婆|老公|妻子|丈夫|太太|爱人|媳妇|\b(?:wife|husband|spouse|partner)\b")
_SELF_KW = re.compile(r"我|本人|今年|\b(?:i|i'm|im|me|myself)\b")

_SELF_JOB = re.compile(
    r"我是|我也是|我在|我做|我当|本人|职业|工作是|做|当|干|是|"
    r"\b(?:i am|i'm|im|i work|work as|working as|my job|occupation|profession|job is|i'm an?|as an?)\b"
)
_NOT_AN_AGE_BEFORE = re.compile(r"(?:保到|到|至|退休|until|till|to|retire at|at)\s*$")
_CHILD_COUNT_ZH = re.compile(r"(\d+)\s*个\s*(孩子|小孩|娃|宝宝|子女|儿子|女儿|闺女)")
_CHILD_PAIR_ZH = re.compile(r"(\d)\s*儿\s*(\d)\s*女|儿女双全|龙凤胎|双胞胎")
_CHILD_COUNT_EN = re.compile(
    r"\b(\d+|a|an|one|two|three|four|five|six)\s+(?:(\d{1,2})[- ]*(?:years?|yrs?)[- ]*old\s+)?"
    r"(kids?|children|child|sons?|daughters?|boys?|girls?|babies|baby)\b|\btwins\b"
)
_CHILD_AGES_EN = re.compile(
    r"\b(?:kids?|children|sons?|daughters?|boys?|girls?)\s*,?\s*(?:aged?|ages)\s+(\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})+)"
)
_HAS_CHILDREN = re.compile(
    r"有孩子|有娃|有小孩|当妈|当爸|宝妈|宝爸|\b(?:i have kids|i have children|we have kids|my kids|my children)\b"
)
_NO_CHILDREN = re.compile(
    r"没有孩子|没孩子|没有小孩|没小孩|无子女|丁克|还没要孩子|"
    r"\b(?:no kids|no children|don't have kids|don't have children|do not have children|childless)\b"
)
_ELDERLY = re.compile(
    r"赡养老人|上有老|父母年纪大|父母年迈|年迈|父母老了|父母都老|"
    r"\b(?:elderly|aging|ageing|old|older) (?:parents|mother|father|mom|dad)\b|"
    r"\b(?:support|take care of|look after) (?:my )?(?:elderly )?parents\b"
)

_UNIT = {
    "万元": 1e4, "万块": 1e4, "万": 1e4, "w": 1e4, "千元": 1e3, "千块": 1e3, "千": 1e3, "k": 1e3,
    "thousand": 1e3, "百万": 1e6, "million": 1e6, "mn": 1e6, "m": 1e6, "亿": 1e8, "billion": 1e9, "bn": 1e9,
}  # fmt: skip
_CURRENCY = {
    "¥": "CNY", "rmb": "CNY", "cny": "CNY", "元": "CNY", "块钱": "CNY", "块": "CNY", "yuan": "CNY",
    "$": "USD", "usd": "USD", "dollars": "USD", "dollar": "USD", "bucks": "USD",
}  # fmt: skip
_AMOUNT = re.compile(
    r"(?P<cur1>[¥$]|rmb\s?|cny\s?|usd\s?)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s?(?P<unit>万元|万块|万|千元|千块|千|百万|亿|thousand|million|billion|mn|bn|w(?![a-z])|k(?![a-z])|m(?![a-z]))?"
    r"(?P<tail>\d(?!\d))?"
    r"\s?(?P<cur2>元|块钱|块|rmb\b|yuan\b|cny\b|dollars?\b|usd\b|bucks\b)?"
)
_NOT_AMOUNT_AFTER = re.compile(
    r"\s*(?:多)?\s*(?:岁|周岁|年|月|日|号|%|个|天|周|星期|次|人|口|小时|分钟|季度|-\d|/\d|years?|yrs?|days?|weeks?|months?|y/?o)"
)
_INCOME_KW = re.compile(
    r"年薪|年收入|年入|月薪|月收入|月入|收入|工资|薪水|薪资|挣|赚|年包|"
    r"\b(?:income|salary|earn|earns|earning|make|making|paid|pay is|wage|wages)\b"
)
_BUDGET_KW = re.compile(r"预算|保费|花|不超过|最多|以内|\b(?:budget|spend|afford|premium|up to|at most|no more than)\b")
_MONTH_KW = re.compile(
    r"月薪|月收入|月入|每月|每个月|一个月|1个月|月工资|工资|\b(?:a|per|each|every) month\b|/month|/mo\b|\bmonthly\b"
)
_YEAR_KW = re.compile(
    r"年薪|年收入|年入|一年|1年|每年|年包|"
    r"\b(?:a|per|each|every) year\b|/year|/yr\b|\b(?:annual|annually|yearly|p\.a\.)\b"
)

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | {
    m.lower(): i for i, m in enumerate(calendar.month_abbr) if m
}
_MONTHS["sept"] = 9
_MONTH_NAME = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ISO_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?"
_ZH_DATE = r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]"
_EN_DATE = rf"({_MONTH_NAME})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(\d{{4}}))?"
_RANGE_SEP = r"\s*(?:to|until|till|through|thru|and|-|–|—|~|到|至|－)\s*"
_ANY_DATE = re.compile(rf"{_ISO_DATE}|{_ZH_DATE}|{_EN_DATE}")
_DATE_RANGE = re.compile(
    rf"(?:from\s+|between\s+|从)?(?P<a>{_ISO_DATE}|{_ZH_DATE}|{_EN_DATE}){_RANGE_SEP}"
    rf"(?P<b>{_ISO_DATE}|{_ZH_DATE}|{_EN_DATE}|\d{{1,2}}(?:[日号]|st|nd|rd|th)?(?!\d))"
)

_CAMPAIGN_EXPLICIT = re.compile(
    r"(?:campaign|活动|营销活动)\s*(?:id|name|名称)?\s*(?:[:：=]\s*|\s+|(?=[\"'“「《]))[\"'“「《]?"
    r"([a-z0-9][a-z0-9_\-]*[a-z0-9]|[\u4e00-\u9fff0-9]{2,12})"
)
_CAMPAIGN_QUOTED = re.compile(
    r"[\"“「《']([^\"”」》']{1,30})[\"”」》']\s*(?:campaign|活动)|(?:campaign|活动)\s*[\"“「《']([^\"”」》']{1,30})[\"”」》']"
)
_CAMPAIGN_SNAKE = re.compile(r"(?<![a-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![a-z0-9_])")
_CAMPAIGN_BEFORE_EN = re.compile(r"((?:[a-z0-9']+\s+){1,3}?)campaigns?\b")
_CAMPAIGN_STOP = frozenset(
    "the a an this that these those our my your their of for last each every which what per by all marketing new "
    "current latest previous recent whole entire how did does do is was show me give tell about in on from to with "
    "and or vs s 's".split()
)
_CAMPAIGN_STOP_ZH = frozenset(
    "这个 那个 这次 上次 本次 哪个 什么 每个 各个 营销 推广 做 个 次 的 这 那 上 本 各".split()
)
_CAMPAIGN_ALIAS = re.compile(_alternation(list(CAMPAIGN_ALIASES)))


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _quarter_range(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = 3 * (quarter - 1) + 1
    return dt.date(year, first, 1), _month_range(year, first + 2)[1]


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _latest_started(today: dt.date, year: int | None, make: Any, *args: int) -> tuple[dt.date, dt.date]:
    """A month/quarter without a year: this year's if it has started, else last year's."""
    if year is not None:
        return make(year, *args)  # type: ignore[no-any-return]
    start, end = make(today.year, *args)
    return make(today.year - 1, *args) if start > today else (start, end)


_RelativeRule = tuple[re.Pattern[str], Any]


def _relative_rules() -> list[_RelativeRule]:
    def week_start(d: dt.date) -> dt.date:
        return d - dt.timedelta(days=d.weekday())

    def last_n(today: dt.date, n: int, unit: str) -> tuple[dt.date, dt.date]:
        if unit.startswith(("天", "日", "day")):
            return today - dt.timedelta(days=n - 1), today
        if unit.startswith(("周", "星期", "个星期", "week")):
            return today - dt.timedelta(days=7 * n - 1), today
        if unit.startswith(("月", "个月", "month")):
            return _shift_months(today, -n) + dt.timedelta(days=1), today
        return dt.date(today.year - n, today.month, min(today.day, 28)) + dt.timedelta(days=1), today

    def quarter_of(d: dt.date) -> int:
        return (d.month - 1) // 3 + 1

    def last_quarter(t: dt.date) -> tuple[dt.date, dt.date]:
        q = quarter_of(t) - 1
        return _quarter_range(t.year, q) if q else _quarter_range(t.year - 1, 4)

    def last_month(t: dt.date) -> tuple[dt.date, dt.date]:
        prev = t.replace(day=1) - dt.timedelta(days=1)
        return _month_range(prev.year, prev.month)

    def this_week(t: dt.date) -> tuple[dt.date, dt.date]:
        return week_start(t), t

    def last_week(t: dt.date) -> tuple[dt.date, dt.date]:
        return week_start(t) - dt.timedelta(days=7), week_start(t) - dt.timedelta(days=1)

    def year_of(m: re.Match[str]) -> int | None:
        for name in ("y1", "y2"):
            value = m.groupdict().get(name)
            if value:
                return int(value)
        return None

    def quarter(t: dt.date, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        q = next(int(m.group(g)) for g in ("q", "q2", "q3") if m.group(g))
        return _latest_started(t, year_of(m), _quarter_range, q)

    def half(t: dt.date, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        first = (m.group("h") or m.group("h2")) in ("上", "h1", "first half")
        year = year_of(m) or t.year
        return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if first else (dt.date(year, 7, 1), dt.date(year, 12, 31))

    def month_zh(t: dt.date, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        return _latest_started(t, year_of(m), _month_range, int(m.group("m")))

    def month_en(t: dt.date, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        name = next(m.group(g) for g in ("mn", "mn2", "mn3") if m.group(g))
        return _latest_started(t, year_of(m), _month_range, _MONTHS[name.rstrip(".")])

    def n_units(t: dt.date, m: re.Match[str]) -> tuple[dt.date, dt.date]:
        return last_n(t, int(m.group("n")), m.group("u"))

    plain: list[tuple[str, Any]] = [
        (r"前天|\bday before yesterday\b", lambda t: (t - dt.timedelta(days=2),) * 2),
        (r"昨天|昨日|\byesterday\b", lambda t: (t - dt.timedelta(days=1),) * 2),
        (r"今天|今日|\btoday\b", lambda t: (t, t)),
        (r"上周|上个?星期|上1周|上礼拜|上个礼拜|\b(?:last|previous) week\b", last_week),
        (r"本周|这周|这个?星期|本星期|这礼拜|\bthis week\b|\bweek to date\b|\bwtd\b", this_week),
        (r"上个?月|上1个月|\b(?:last|previous) month\b", last_month),
        (r"本月|这个?月|当月|\bthis month\b|\bmonth to date\b|\bmtd\b", lambda t: (t.replace(day=1), t)),
        (r"上个?季度|上1个季度|\b(?:last|previous) quarter\b", last_quarter),
        (r"本季度|这个?季度|当季|\bthis quarter\b", lambda t: (_quarter_range(t.year, quarter_of(t))[0], t)),
        (r"去年|\blast year\b|\bprevious year\b", lambda t: (dt.date(t.year - 1, 1, 1), dt.date(t.year - 1, 12, 31))),
        (r"今年(?!\s*\d)|本年度|\bthis year\b|\byear to date\b|\bytd\b", lambda t: (dt.date(t.year, 1, 1), t)),
        (r"\bpast week\b", lambda t: (t - dt.timedelta(days=6), t)),
        (r"\bpast month\b", lambda t: last_n(t, 1, "month")),
    ]
    full_months = (
        "january|february|april|june|july|august|september|october|november|december|sept|sep|oct|nov|dec|feb|aug"
    )
    with_match: list[tuple[str, Any]] = [
        (r"(?:近|最近|过去|前)\s*(?P<n>\d+)\s*(?P<u>天|日|周|个?星期|个?月|年)", n_units),
        (r"\b(?:last|past|previous)\s+(?P<n>\d+)\s+(?P<u>days?|weeks?|months?|years?)\b", n_units),
        (
            r"(?:(?P<y1>\d{4})\s*年?\s*)?(?:第\s*(?P<q>[1-4])\s*季度?|(?<!\d)(?P<q3>[1-4])\s*季度|\bq(?P<q2>[1-4])\b)"
            r"(?:\s*(?P<y2>\d{4}))?",
            quarter,
        ),
        (r"(?:(?P<y1>\d{4})\s*年\s*)?(?P<h>上|下)半年|\b(?P<h2>h[12]|first half|second half)\b", half),
        (r"(?:(?P<y1>\d{4})\s*年\s*)?(?<!\d)(?P<m>1[0-2]|0?[1-9])\s*月份?(?!\s*\d{1,2}\s*[日号])", month_zh),
        (
            rf"\b(?:in|for|during|of|since)\s+(?P<mn>{_MONTH_NAME})(?:\s+(?P<y2>\d{{4}}))?\b"
            rf"|\b(?P<mn2>{_MONTH_NAME})\s+(?P<y1>\d{{4}})\b|\b(?P<mn3>{full_months})\b",
            month_en,
        ),
    ]
    rules: list[_RelativeRule] = [(re.compile(p), f) for p, f in with_match[:2]]
    rules += [(re.compile(p), (lambda fn: lambda t, _m: fn(t))(f)) for p, f in plain]
    rules += [(re.compile(p), f) for p, f in with_match[2:]]
    return rules


_RELATIVE_RULES = _relative_rules()


def _parse_date(m: re.Match[str], base: int, today: dt.date) -> dt.date | None:
    """Reads one of the three date forms from the groups of `_ANY_DATE` starting at group `base`."""
    g = m.groups()[base : base + 9]
    try:
        if g[0]:
            return dt.date(int(g[0]), int(g[1]), int(g[2]))
        if g[4]:
            return dt.date(int(g[3]) if g[3] else today.year, int(g[4]), int(g[5]))
        if g[6]:
            return dt.date(int(g[8]) if g[8] else today.year, _MONTHS[g[6].rstrip(".")], int(g[7]))
    except (ValueError, KeyError):
        return None
    return None


def _clause_start(text: str, pos: int) -> int:
    start = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, pos):
        start = m.end()
    return start


class SlotExtractor:
    """Finds slots in a message (Chinese or English). Build once and share: it is stateless per call.

    The first instance loads jieba's dictionary (about a second); later ones reuse it.
    """

    def __init__(self) -> None:
        self._lexicon = _lexicon()

    def extract(self, text: str, *, today: dt.date | None = None, language: Language | None = None) -> Slots:
        """Slots of one message; `today` anchors relative dates ("last week"), default the local date."""
        today = today or dt.date.today()
        language = language or detect_language(text)
        norm = normalize(text)
        date_range, norm_wo_dates = self._date_range(norm, today)
        hits = self._lexicon.find(norm)
        ages = self._ages(norm)
        self_age = next((v for v, kind in ages if kind == "self"), None)
        child_ages = tuple(v for v, kind in ages if kind == "child")
        parent_ages = [v for v, kind in ages if kind == "parent"]
        children_count = self._children_count(norm, len(child_ages))
        children_ages = child_ages
        if children_count is not None and children_count < len(children_ages):
            children_count = len(children_ages)
        parents_age = min(parent_ages) if parent_ages else None
        elderly: bool | None = (
            True if _ELDERLY.search(norm) or (parents_age is not None and parents_age >= 55) else None
        )
        amounts = self._amounts(norm_wo_dates)
        income = next((a for a in amounts if a.role == "income"), None)
        budget = next((a for a in amounts if a.role == "budget"), None)
        by_slot = self._by_slot(hits, norm)
        insurance_types: list[str] = []
        for value in by_slot.get("insurance_type", []):
            for kind in LIFE_GENERIC if value == "life" else (value,):
                if kind not in insurance_types:
                    insurance_types.append(kind)
        marital = by_slot.get("marital_status", [None])[0]
        channels = tuple(by_slot.get("channel", []))
        slots = Slots(
            age=self_age,
            annual_income=None if income is None else income.value * (12 if income.period == "month" else 1),
            income_period=None if income is None else (income.period or "year"),
            budget=None if budget is None else budget.value,
            budget_period=None if budget is None else budget.period,
            amounts=tuple(amounts),
            marital_status=marital,
            children_count=children_count,
            children_ages=children_ages,
            parents_age=parents_age,
            elderly_parents=elderly,
            occupation=self._occupation(hits, norm),
            city=next(iter(by_slot.get("city", [])), None),
            risk_hint=self._risk_hint(hits, norm),
            product_type=self._product_type(hits),
            insurance_types=tuple(insurance_types),
            finance_types=tuple(by_slot.get("finance_type", [])),
            topics=tuple(by_slot.get("topic", [])),
            campaign=self._campaign(text, norm),
            channel=channels[0] if channels else None,
            channels=channels,
            date_range=date_range,
        )
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("slots (%s): %s", language, slots.filled())
        return slots

    # -- lexicon slots -----------------------------------------------------------------------------

    @staticmethod
    def _by_slot(hits: list[tuple[int, str, str, str]], norm: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for _, slot, value, _word in hits:
            if slot in ("occupation", "risk_hint"):
                continue
            values = out.setdefault(slot, [])
            if value not in values:
                values.append(value)
        if "married" not in out.get("marital_status", []) and "single" not in out.get("marital_status", []):
            if re.search(r"我(?:和|跟)?(?:老婆|老公|妻子|丈夫|太太|爱人)|\bmy (?:wife|husband)\b", norm):
                out.setdefault("marital_status", []).insert(0, "married")
        return out

    @staticmethod
    def _occupation(hits: list[tuple[int, str, str, str]], norm: str) -> str | None:
        """An occupation word counts only when the user says it of themselves ("我是老师", "I'm a nurse"),
        not when it names a course ("想学会计") or an audience ("courses for teachers")."""
        for start, slot, value, _ in hits:
            if slot != "occupation":
                continue
            before = norm[_clause_start(norm, start) : start]
            if re.search(r"(?:学|学习|learn|learning|study|studying)\s*$", before):
                continue
            if _SPOUSE_KW.search(before) or _PARENT_KW.search(before):
                continue  # "我爱人是公务员": someone else's job
            if _SELF_JOB.search(before) or (value == "retired" and re.search(r"\bi'?m\b|我", norm)):
                return value
        return None

    @staticmethod
    def _risk_hint(hits: list[tuple[int, str, str, str]], norm: str) -> str | None:
        flip = {"conservative": "aggressive", "aggressive": "conservative", "moderate": "moderate"}
        for start, slot, value, _ in hits:
            if slot == "risk_hint":
                negated = _NEGATION_BEFORE.search(norm[max(0, start - 6) : start])
                return flip[value] if negated else value
        return None

    @staticmethod
    def _product_type(hits: list[tuple[int, str, str, str]]) -> str | None:
        for _, slot, value, _ in hits:
            if slot == "product_type":
                return value
            if slot == "insurance_type":
                return "insurance"
            if slot == "finance_type":
                return "finance"
        return None

    # -- ages and family ---------------------------------------------------------------------------

    @staticmethod
    def _ages(norm: str) -> list[tuple[int, str]]:
        """(age, whose) for every age said, whose ∈ self/child/parent/spouse, in text order."""
        found: list[tuple[int, int, int, str | None]] = []  # start, end, value, forced kind

        def add(start: int, end: int, value: int, kind: str | None) -> None:
            if not 0 <= value <= 120 or any(s < end and start < e for s, e, _, _ in found):
                return
            found.append((start, end, value, kind))

        for m in _AGE_EN_IS.finditer(norm):
            who = m.group(1)
            whose = "child" if _CHILD_KW.search(who) else "parent" if _PARENT_KW.search(who) else "spouse"
            add(m.start(2), m.end(2), int(m.group(2)), whose)
        for m in _CHILD_AGES_EN.finditer(norm):
            for n in re.finditer(r"\d+", m.group(1)):
                add(m.start(1) + n.start(), m.start(1) + n.end(), int(n.group()), "child")
        for m in _AGE_EN_SELF.finditer(norm):
            add(m.start(1), m.end(1), int(m.group(1)), "self")
        for m in _AGE_EN_DECADE.finditer(norm):
            add(m.start(1), m.end(), int(m.group(1)) * 10, None)
        for pattern in (_AGE_ZH, _AGE_EN_YEARS, _AGE_EN_AGED, _AGE_ZH_BARE, _AGE_ZH_LE):
            for m in pattern.finditer(norm):
                group = 1 if m.group(1) is not None else 2
                if _NOT_AN_AGE_BEFORE.search(norm[max(0, m.start(group) - 10) : m.start(group)]):
                    continue  # "保到70岁", "retire at 60": a term, not someone's age
                add(m.start(group), m.end(group), int(m.group(group)), None)
        found.sort()
        out: list[tuple[int, str]] = []
        previous_end, previous_kind = 0, ""
        for start, end, value, forced in found:
            kind: str | None = forced
            if kind is None:
                after = norm[end : end + 24]
                if re.match(
                    r"\s*(?:-|\s)?(?:years?|yrs?)?[- ]*old\s+(?:son|daughter|kid|child|boy|girl|baby|twins)", after
                ):
                    kind = "child"
            if kind is None:
                clause = _clause_start(norm, start)
                window = norm[max(clause, previous_end) : start]
                kind = _whose(window)
                if kind is None and previous_end > clause:
                    kind = previous_kind or None
                if kind is None:
                    kind = _whose(norm[clause:start])
                if kind is None:
                    kind = (
                        "self"
                        if value >= 16 and not any(k == "self" for _, k in out)
                        else "child"
                        if value < 16
                        else None
                    )
            if kind == "self" and value < 16:  # "女儿，今年5岁": a five-year-old is not the one typing
                kind = "child" if _CHILD_KW.search(norm) else None
            if kind is not None:
                out.append((value, kind))
                previous_end, previous_kind = end, kind
        return out

    @staticmethod
    def _children_count(norm: str, ages_found: int) -> int | None:
        if _NO_CHILDREN.search(norm):
            return 0
        total, sons_daughters = 0, 0
        for m in _CHILD_COUNT_ZH.finditer(norm):
            if m.group(2) in ("儿子", "女儿", "闺女"):
                sons_daughters += int(m.group(1))
            else:
                total = max(total, int(m.group(1)))
        pair = _CHILD_PAIR_ZH.search(norm)
        if pair:
            total = max(total, int(pair.group(1)) + int(pair.group(2)) if pair.group(1) else 2)
        for m in _CHILD_COUNT_EN.finditer(norm):
            if m.group(0) == "twins":
                total = max(total, 2)
                continue
            word = m.group(1)
            n = int(word) if word.isdigit() else _EN_WORDS[word]
            if m.group(3).startswith(("kid", "children", "child", "babies")) and n > 1 or word.isdigit():
                total = max(total, n)
            else:
                sons_daughters += n
        count = max(total, sons_daughters, ages_found)
        if count:
            return count
        return None if not _HAS_CHILDREN.search(norm) else None

    # -- money -------------------------------------------------------------------------------------

    @staticmethod
    def _amounts(norm: str) -> list[Amount]:
        out: list[Amount] = []
        for m in _AMOUNT.finditer(norm):
            num, unit, tail = m.group("num"), m.group("unit"), m.group("tail")
            cur = m.group("cur1") or m.group("cur2")
            before = norm[max(_clause_start(norm, m.start()), m.start() - 16) : m.start()]
            if re.search(r"[a-z0-9_\-]$|\*$", before) and not re.search(r"[$¥]$|(?:rmb|cny|usd)\s?$", before):
                continue  # part of a word, an id, a masked number, or a range "3-5"
            if re.search(r"q$|第\s*$", before):
                continue
            has_keyword = bool(_INCOME_KW.search(before) or _BUDGET_KW.search(before))
            if not (unit or cur or has_keyword):
                continue
            if not unit and not cur and _NOT_AMOUNT_AFTER.match(norm, m.end("num")):
                continue
            if unit is None and tail is not None:
                continue
            value = float(num.replace(",", "")) * (_UNIT[unit] if unit else 1.0)
            if tail is not None and unit:
                value += int(tail) * _UNIT[unit] / 10
            clause = norm[_clause_start(norm, m.start()) : m.end() + 16]
            context = norm[_clause_start(norm, m.start()) : m.start()]
            last_income = max((x.end() for x in _INCOME_KW.finditer(context)), default=-1)
            last_budget = max((x.end() for x in _BUDGET_KW.finditer(context)), default=-1)
            role: AmountRole = (
                "income" if last_income > last_budget else "budget" if last_budget > last_income else "amount"
            )
            period: Period | None = "month" if _MONTH_KW.search(clause) else "year" if _YEAR_KW.search(clause) else None
            currency = _CURRENCY.get((cur or "").strip()) if cur else None
            out.append(Amount(value=value, role=role, period=period, currency=currency, text=m.group().strip()))
        return out

    # -- reports -----------------------------------------------------------------------------------

    @staticmethod
    def _date_range(norm: str, today: dt.date) -> tuple[DateRange | None, str]:
        """The first date range said, and the text with every date blanked (so dates are not amounts)."""
        blanked = norm
        result: DateRange | None = None
        for m in _DATE_RANGE.finditer(norm):
            a = _ANY_DATE.fullmatch(m.group("a"))
            start = _parse_date(a, 0, today) if a else None
            b_text = m.group("b")
            b = _ANY_DATE.fullmatch(b_text)
            if b:
                end = _parse_date(b, 0, today)
                if end and a and not (b.group(1) or b.group(4) or b.group(9)) and start:
                    end = end.replace(year=start.year)  # "10月1日到10月31日": the year of the start
            elif start:
                try:
                    end = start.replace(day=int(re.sub(r"\D", "", b_text)))
                except ValueError:
                    end = None
            else:
                end = None
            if start and end and start <= end:
                result = result or DateRange(start, end, m.group().strip())
                blanked = blanked[: m.start()] + " " * (m.end() - m.start()) + blanked[m.end() :]
        for m in _ANY_DATE.finditer(blanked):
            day = _parse_date(m, 0, today)
            if day:
                result = result or DateRange(day, day, m.group().strip())
                blanked = blanked[: m.start()] + " " * (m.end() - m.start()) + blanked[m.end() :]
        if result is not None:
            return result, blanked
        for pattern, make in _RELATIVE_RULES:  # in priority order: "近7天" before "7天", quarters before months
            found = pattern.search(blanked)
            if found:
                start_day, end_day = make(today, found)
                blanked = blanked[: found.start()] + " " * (found.end() - found.start()) + blanked[found.end() :]
                return DateRange(start_day, end_day, found.group().strip()), blanked
        return None, blanked

    def _campaign(self, text: str, norm: str) -> str | None:
        raw = unicodedata.normalize("NFKC", text).lower()
        m = _CAMPAIGN_QUOTED.search(raw)
        if m:
            return (m.group(1) or m.group(2)).strip()
        for m in _CAMPAIGN_EXPLICIT.finditer(raw):
            name = m.group(1)
            if "_" in name or re.search(r"\d", name) or _ZH_CHAR.search(name) or re.search(r"[:：=]", m.group()):
                return CAMPAIGN_ALIASES.get(name, name)
        m = _CAMPAIGN_SNAKE.search(raw)
        if m:
            return m.group()
        m = _CAMPAIGN_ALIAS.search(raw)
        if m:
            return CAMPAIGN_ALIASES[m.group()]
        for m in _CAMPAIGN_BEFORE_EN.finditer(raw):
            words = m.group(1).split()
            kept: list[str] = []
            for word in reversed(words):
                if word in _CAMPAIGN_STOP:
                    break
                kept.insert(0, word)
            if kept:
                return "_".join(kept)
        if "活动" in raw:
            tokens = [t for t, _, _ in self._lexicon.tokens(raw)]
            for i, token in enumerate(tokens):
                if token == "活动" and i > 0:
                    name = tokens[i - 1]
                    if name not in _CAMPAIGN_STOP_ZH and re.fullmatch(r"[\w\u4e00-\u9fff]{2,12}", name):
                        return name
        return None


def _whose(window: str) -> str | None:
    """Who an age belongs to, from the last person word before it."""
    best: tuple[int, str] | None = None
    for kind, pattern in (("child", _CHILD_KW), ("parent", _PARENT_KW), ("spouse", _SPOUSE_KW), ("self", _SELF_KW)):
        for m in pattern.finditer(window):
            if best is None or m.end() > best[0]:
                best = (m.end(), kind)
    return best[1] if best else None


_DEFAULT: SlotExtractor | None = None


def extract_slots(text: str, *, today: dt.date | None = None) -> Slots:
    """Extracts with a shared extractor (built on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = SlotExtractor()
    return _DEFAULT.extract(text, today=today)
