# ruff: noqa: E501  (one catalog row per line reads best)
"""Fixtures for the knowledge base: a tiny bilingual catalog and a deterministic hashing embedder."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest

from knowledge_base.analysis import analyze, cjk_ratio
from knowledge_base.config import KnowledgeBaseConfig
from knowledge_base.retriever import HybridRetriever
from store.formats import CatalogItem


class HashingEmbedder:
    """Bag of analysed terms hashed into 256 dimensions: similar wording → similar vectors; counts calls."""

    name = "hashing-test-embedder"
    dim = 256

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.encoded.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for term in analyze(text):
                out[i, int(hashlib.md5(term.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)

    def coverage(self, text: str) -> float:
        return 1.0 - cjk_ratio(text)


def item(item_id: str, kind: str, zh: str, en: str, **kw: object) -> CatalogItem:
    title_zh, desc_zh = zh.split("|")
    title_en, desc_en = en.split("|")
    return CatalogItem(item_id=item_id, kind=kind, title=title_zh, description=desc_zh, title_en=title_en,
                       description_en=desc_en, **kw)  # type: ignore[arg-type]  # fmt: skip


CATALOG = [
    item("C1", "course", "基金定投入门|每月定投指数基金的纪律与止盈", "Fund DCA basics|Invest in index funds every month"),
    item("C2", "course", "Excel效率课|函数与数据透视表", "Excel productivity|Functions and pivot tables"),
    item("C3", "course", "跑步入门|从零到五公里", "Running for beginners|From zero to 5K"),
    item("C4", "course", "重疾险怎么选|病种、保额与多次赔付", "Choosing critical illness insurance|Disease definitions and sum insured"),
    item("I1", "insurance", "安和重疾险|终身重疾保障", "Anhe critical illness insurance|Lifetime critical illness cover",
         category="critical_illness", risk_level="R1", min_age=18, max_age=55, price=3000.0),
    item("I2", "insurance", "少儿重疾险|儿童重疾保障", "Children's critical illness insurance|Cover for kids",
         category="children", risk_level="R1", min_age=0, max_age=17, price=800.0),
    item("F1", "finance", "半导体股票基金|高风险行业基金", "Semiconductor equity fund|High risk sector fund for index investors",
         category="equity_fund", risk_level="R5"),
    item("F2", "finance", "沪深300指数基金|跟踪沪深300指数", "CSI 300 index fund|Tracks the CSI 300 index",
         category="index_fund", risk_level="R4"),
    item("F3", "finance", "纯债基金|稳健的债券基金", "Pure bond fund|A steady bond fund", category="bond_fund",
         risk_level="R2"),
    item("Q1", "faq", "课程可以退款吗？|购买7天内可以申请退款。", "Can I get a refund on a course?|Within 7 days of purchase you can ask for a refund."),
    item("Q2", "faq", "如何开发票？|在订单页申请电子发票。", "How do I get an invoice?|Request an e-invoice on the order page."),
]  # fmt: skip


@pytest.fixture
def catalog() -> list[CatalogItem]:
    return list(CATALOG)


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def config() -> KnowledgeBaseConfig:
    return KnowledgeBaseConfig(encoder="hashing", gloss_chinese=False, candidates=20)


@pytest.fixture
def retriever(config: KnowledgeBaseConfig, embedder: HashingEmbedder, catalog: list[CatalogItem]) -> HybridRetriever:
    return HybridRetriever(config, embedder).build(catalog)
