"""Hybrid search (`GET /v1/search`) and the admin catalog item calls that update the index in place."""

from __future__ import annotations

import threading
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from api.deps import AdminDep, PrincipalDep, ServicesDep, SessionDep
from api.errors import ApiError
from knowledge_base import storage
from knowledge_base.retriever import HybridRetriever
from knowledge_base.types import SearchFilters
from models import suitability
from store import repository
from store.errors import NotFoundError
from store.formats import ITEM_KINDS, RISK_LEVELS, RISK_TOLERANCES, catalog_from_frame

router = APIRouter(prefix="/v1", tags=["search"])
_update_lock = threading.Lock()  # one catalog update at a time; searches never wait for it


def get_retriever(services: ServicesDep) -> HybridRetriever:
    retriever = services.retriever
    if retriever is None:
        raise ApiError(503, "the knowledge-base index is not built yet; run `advisor init` or `advisor kb build`")
    return retriever


RetrieverDep = Annotated[HybridRetriever, Depends(get_retriever)]


class SearchHit(BaseModel):
    item_id: str
    kind: str
    title: str
    score: float
    dense_rank: int | None
    lexical_rank: int | None
    price: float | None = None
    currency: str = "CNY"
    risk_level: str | None = None
    category: str = ""
    url: str = ""


class SearchOut(BaseModel):
    query: str
    k: int
    results: list[SearchHit]


def suitability_filters(risk_tolerance: str | None, age: int | None) -> dict[str, Any]:
    """The suitability rule (models.suitability) as pre-top-k filters: tolerance Cj → at most Rj
    (R2 when unassessed), the age limits for a known age, age-limited products withheld otherwise."""
    level = (
        RISK_TOLERANCES.index(risk_tolerance) + 1
        if risk_tolerance in RISK_TOLERANCES
        else suitability.UNASSESSED_MAX_LEVEL
    )
    return {"max_risk_level": RISK_LEVELS[level - 1], "age": age, "exclude_age_limited_products": age is None}


@router.get("/search", response_model=SearchOut)
def search(
    principal: PrincipalDep,
    session: SessionDep,
    retriever: RetrieverDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="the query")],
    kind: Annotated[str | None, Query(description=f"one of {', '.join(ITEM_KINDS)}")] = None,
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    category: str | None = None,
    language: Annotated[str | None, Query(pattern="^(zh|en)$")] = None,
    min_price: Annotated[float | None, Query(ge=0)] = None,
    max_price: Annotated[float | None, Query(ge=0)] = None,
) -> dict[str, Any]:
    """Hybrid retrieval; a plain user only ever gets products suitable for them (PRODUCT.md)."""
    extra: dict[str, Any] = {}
    tolerance: str | None = None
    age: int | None = None
    if principal.role == "user":
        profile = repository.ensure_user(session, principal.user_id)
        tolerance, age = profile.risk_tolerance, profile.age
        extra = suitability_filters(tolerance, age)
    filters = SearchFilters(kinds=(kind,) if kind else None, categories=(category,) if category else None,
                            language=language, min_price=min_price, max_price=max_price, **extra)  # fmt: skip
    results = retriever.search(q, k=k, filters=filters)
    if principal.role == "user":  # the filters above implement the rule; this keeps the rule the authority
        results = [r for r in results if suitability.is_suitable(r.item, risk_tolerance=tolerance, age=age)]
    hits = [
        SearchHit(
            item_id=r.item_id,
            kind=r.kind,
            title=r.title,
            score=r.score,
            dense_rank=r.dense_rank,
            lexical_rank=r.lexical_rank,
            price=r.item.price,
            currency=r.item.currency,
            risk_level=r.item.risk_level,
            category=r.item.category,
            url=r.item.url,
        )  # fmt: skip
        for r in results
    ]
    return {"query": q, "k": k, "results": hits}


# ---------------------------------------------------------------------------------------------
# Admin: add, change, delete catalog items; the database and the index change together


class CatalogItemIn(BaseModel):
    item_id: str = Field(min_length=1, max_length=64)
    kind: str
    title: str = Field(min_length=1)
    description: str = Field(min_length=1)
    title_en: str = ""
    description_en: str = ""
    title_zh: str = ""
    description_zh: str = ""
    category: str = ""
    tags: list[str] = Field(default_factory=list)
    price: float | None = None
    currency: str = "CNY"
    risk_level: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    partner: str = ""
    url: str = ""


class CatalogChangeOut(BaseModel):
    added: int
    changed: int
    deleted: int
    unchanged: int
    items: int
    index_version: str


def _validate(items: list[CatalogItemIn]) -> list[Any]:
    rows = []
    for item in items:
        data = item.model_dump()
        data["tags"] = "|".join(data["tags"])
        rows.append({k: "" if v is None else str(v) for k, v in data.items()})
    return catalog_from_frame(pd.DataFrame(rows, dtype=str), "request body")


def _apply(services: Any, session: Any, upserts: list[Any], deletes: list[str], actor: str) -> dict[str, Any]:
    """The database is the source of truth: the catalog change and its audit record commit first, and only
    then does the new index version go live, so a failed commit never leaves an index ahead of the catalog."""
    with _update_lock:
        current = get_retriever(services)
        updated, summary = current.updated(upserts, deletes)  # built beside the live index; nothing written yet
        if upserts:
            repository.upsert_catalog(session, upserts)
        if deletes:
            repository.delete_catalog_items(session, deletes)
        repository.audit(session, actor_id=actor, actor_role="admin", action="catalog.change",
                         target=",".join([*(i.item_id for i in upserts), *deletes])[:200],
                         details=summary.to_dict())  # fmt: skip
        session.commit()
        version = storage.save(updated, services.settings.kb_dir)
        services.retriever = updated  # atomic reference swap: in-flight searches keep the old index
    return {**summary.to_dict(), "items": updated.n_items, "index_version": version.name}


@router.post("/catalog/items", response_model=CatalogChangeOut)
def add_items(
    body: list[CatalogItemIn], principal: AdminDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    """Adds or replaces items; only these items are embedded and indexed."""
    if not body:
        raise ApiError(400, "send at least one item")
    return _apply(services, session, _validate(body), [], principal.user_id)


@router.put("/catalog/items/{item_id}", response_model=CatalogChangeOut)
def change_item(
    item_id: str, body: CatalogItemIn, principal: AdminDep, services: ServicesDep, session: SessionDep
) -> dict[str, Any]:
    if body.item_id != item_id:
        raise ApiError(400, f"the body's item_id '{body.item_id}' differs from the path's '{item_id}'")
    if get_retriever(services).get(item_id) is None:
        raise NotFoundError(f"no catalog item '{item_id}'")
    return _apply(services, session, _validate([body]), [], principal.user_id)


@router.delete("/catalog/items/{item_id}", response_model=CatalogChangeOut)
def delete_item(item_id: str, principal: AdminDep, services: ServicesDep, session: SessionDep) -> dict[str, Any]:
    if get_retriever(services).get(item_id) is None:
        raise NotFoundError(f"no catalog item '{item_id}'")
    return _apply(services, session, [], [item_id], principal.user_id)
