"""Profile-aware signals: goals a user states (or that their facts imply) and the items that serve them.

A goal matches an item when one of its keywords occurs in the item's category, tags or titles; the
keywords are lowercase substrings in both languages, so the catalog needs no extra column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from store.formats import CatalogItem


@dataclass(frozen=True)
class Goal:
    key: str
    zh: str
    en: str
    keywords: tuple[str, ...]


GOALS: tuple[Goal, ...] = (
    Goal("children_education", "子女教育", "children's education",
         ("education", "children", "child", "parenting", "early_childhood", "teen", "kids", "少儿", "儿童", "教育",
          "育儿", "孩子")),
    Goal("children_protection", "孩子的保障", "protecting your children",
         ("children_insurance", "children's", "少儿", "儿童", "child_health")),
    Goal("retirement", "养老规划", "retirement",
         ("retirement", "pension", "annuity", "elderly", "养老", "年金", "退休")),
    Goal("health", "健康保障", "health cover",
         ("critical_illness", "medical", "health", "chronic", "重疾", "医疗", "健康")),
    Goal("family_protection", "家庭保障", "protecting your family",
         ("term_life", "life_insurance", "whole_life", "family protection", "家庭", "寿险", "breadwinner")),
    Goal("wealth_growth", "财富增值", "growing your savings",
         ("investing", "fund", "stocks", "wealth", "index", "基金", "投资", "理财")),
    Goal("saving", "储蓄理财", "saving money",
         ("budgeting", "saving", "deposit", "money_fund", "储蓄", "存款", "记账")),
    Goal("car", "买车用车", "buying or running a car", ("car", "auto", "ev", "driving", "车")),
    Goal("parents", "父母的保障", "protecting your parents", ("parents", "seniors", "elderly", "父母", "中老年")),
    Goal("career", "职业发展", "your career",
         ("career", "management", "programming", "english", "office", "ai", "data_science", "职场")),
)  # fmt: skip
GOAL_KEYS = tuple(g.key for g in GOALS)
_GOALS = {g.key: g for g in GOALS}

# Free words a user might say → goal keys (used by `goals_from_text`; the chat's slot extractor may
# pass goal keys directly instead).
_GOAL_WORDS: dict[str, tuple[str, ...]] = {
    "children_education": ("教育", "education", "school", "college", "university", "上学", "学费", "tuition"),
    "children_protection": ("孩子保险", "少儿", "children's insurance", "insure my child", "insure my kid"),
    "retirement": ("养老", "退休", "retire", "retirement", "pension"),
    "health": ("重疾", "医疗", "health", "illness", "medical", "hospital", "看病"),
    "family_protection": ("家人", "家庭保障", "family", "寿险", "life insurance"),
    "wealth_growth": ("投资", "增值", "基金", "invest", "grow", "fund", "stocks", "股票"),
    "saving": ("存钱", "储蓄", "攒钱", "save", "saving", "budget", "记账"),
    "car": ("买车", "车贷", "汽车", "car", "vehicle", "auto"),
    "parents": ("父母", "爸妈", "parents", "mum", "dad", "mother", "father"),
    "career": ("工作", "职场", "升职", "career", "job", "promotion", "skills"),
}


def goal_label(key: str, language: str) -> str:
    goal = _GOALS.get(key)
    if goal is None:
        return key
    return goal.zh if language == "zh" else goal.en


def goals_from_text(text: str) -> tuple[str, ...]:
    """Goal keys whose words occur in a free-text statement (e.g. 'saving for my kid's education')."""
    lowered = text.lower()
    return tuple(key for key, words in _GOAL_WORDS.items() if any(w in lowered for w in words))


def item_goals(item: CatalogItem) -> tuple[str, ...]:
    """The goal keys an item serves, from its category, tags and titles."""
    fields = [item.category, *item.tags, item.title_en, item.title, item.title_zh]
    text = " | ".join(f.lower() for f in fields if f)
    out = []
    for goal in GOALS:
        for word in goal.keywords:
            if len(word) <= 3 and word.isascii():
                # short ASCII keywords ('ai', 'car', 'ev') must be whole tokens, not parts of 'retail'
                tokens = set(text.replace("|", " ").replace("_", " ").replace("-", " ").split())
                if word in tokens or word in {item.category.lower()}:
                    out.append(goal.key)
                    break
            elif word in text:
                out.append(goal.key)
                break
    return tuple(out)


@dataclass(frozen=True)
class FactGoal:
    """A goal implied by a stated fact, with the reason shown to the user."""

    key: str
    zh: str
    en: str
    strength: float = 1.0  # how directly the fact points at the goal (children → children's cover: 1.0)


def implied_goals(*, age: int | None, family: Mapping[str, Any] | None) -> list[FactGoal]:
    """Goals that a user's stated facts suggest (children → children's insurance and education, …)."""
    family = family or {}
    out: list[FactGoal] = []
    children = family.get("children") or []
    if children:
        out.append(FactGoal("children_protection", "适合有孩子的家庭", "suits a family with children"))
        out.append(FactGoal("children_education", "适合有孩子的家庭", "suits a family with children"))
    if family.get("marital_status") == "married" or children:
        out.append(FactGoal("family_protection", "为家庭提供保障", "protects your family", 0.5))
    if family.get("elderly_parents"):
        out.append(FactGoal("parents", "适合为父母投保", "suits insuring your parents"))
    if age is not None:
        if age >= 45:
            out.append(FactGoal("retirement", "适合您这个年龄的养老规划", "retirement planning at your age"))
            out.append(FactGoal("health", "适合您这个年龄的健康保障", "health cover at your age", 0.7))
        elif age < 30:
            out.append(FactGoal("saving", "适合刚开始理财的年轻人", "suits people starting to manage money", 0.5))
            out.append(FactGoal("career", "适合职业起步阶段", "suits an early career", 0.5))
    return out
