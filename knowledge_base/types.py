"""Typed inputs and results of the retriever."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from knowledge_base.errors import KnowledgeBaseInputError
from store.formats import ITEM_KINDS, RISK_LEVELS, CatalogItem

LANGUAGES = ("zh", "en")
MODES = ("hybrid", "dense", "lexical")


@dataclass(frozen=True)
class SearchFilters:
    """Constraints applied to the candidate pools before the final top-k.

    `age`: the user's age must lie within the item's [min_age, max_age] where those are set.
    `max_risk_level`: items above it are excluded (items without a risk level always pass).
    `min_price`/`max_price`: an item without a price counts as free (0).
    `language`: only items that have a title and description in that language.
    `exclude_age_limited_products`: drop insurance/finance items with age limits (the suitability rule
    for a user whose age is unknown).
    """

    kinds: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    min_price: float | None = None
    max_price: float | None = None
    language: str | None = None
    age: int | None = None
    max_risk_level: str | None = None
    exclude_age_limited_products: bool = False
    exclude_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for kind in self.kinds or ():
            if kind not in ITEM_KINDS:
                raise KnowledgeBaseInputError(f"unknown kind '{kind}'; valid kinds: {', '.join(ITEM_KINDS)}")
        if self.language is not None and self.language not in LANGUAGES:
            raise KnowledgeBaseInputError(f"unknown language '{self.language}'; valid: {', '.join(LANGUAGES)}")
        if self.max_risk_level is not None and self.max_risk_level not in RISK_LEVELS:
            raise KnowledgeBaseInputError(
                f"unknown risk level '{self.max_risk_level}'; valid: {', '.join(RISK_LEVELS)}"
            )
        if self.age is not None and not 0 <= self.age <= 130:
            raise KnowledgeBaseInputError(f"age {self.age} is outside 0..130")
        if self.min_price is not None and self.max_price is not None and self.min_price > self.max_price:
            raise KnowledgeBaseInputError("min_price is greater than max_price")

    @property
    def empty(self) -> bool:
        return self == SearchFilters()


@dataclass(frozen=True)
class SearchResult:
    """One ranked item; ranks are 1-based positions in each side's candidate list (None: not there)."""

    item_id: str
    kind: str
    title: str
    score: float
    dense_rank: int | None
    lexical_rank: int | None
    dense_score: float | None
    lexical_score: float | None
    item: CatalogItem

    def to_dict(self, *, with_item: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "item_id": self.item_id, "kind": self.kind, "title": self.title, "score": self.score,
            "dense_rank": self.dense_rank, "lexical_rank": self.lexical_rank,
            "dense_score": self.dense_score, "lexical_score": self.lexical_score,
        }  # fmt: skip
        if with_item:
            data["item"] = self.item.to_dict()
        return data


@dataclass(frozen=True)
class FaqAnswer:
    """The best FAQ entry for a question; `confident` is False below the threshold setting,
    in which case the assistant says it is unsure and offers a person."""

    item: CatalogItem | None
    question: str
    answer: str
    score: float
    confident: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "item_id": self.item.item_id if self.item else None, "question": self.question,
            "answer": self.answer, "score": self.score, "confident": self.confident,
        }  # fmt: skip


@dataclass(frozen=True)
class UpdateSummary:
    added: int
    changed: int
    deleted: int
    unchanged: int

    def to_dict(self) -> dict[str, int]:
        return {"added": self.added, "changed": self.changed, "deleted": self.deleted, "unchanged": self.unchanged}
