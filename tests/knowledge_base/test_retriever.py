from __future__ import annotations

from pathlib import Path

import pytest

from knowledge_base import storage
from knowledge_base.analysis import analyze
from knowledge_base.config import KnowledgeBaseConfig
from knowledge_base.errors import KnowledgeBaseError, KnowledgeBaseInputError
from knowledge_base.evaluation import evaluate, query_metrics
from knowledge_base.retriever import HybridRetriever
from knowledge_base.types import SearchFilters
from store.formats import CatalogItem, Judgment
from tests.knowledge_base.conftest import HashingEmbedder, item


def ids(results: list) -> list[str]:
    return [r.item_id for r in results]


def test_analysis_segments_chinese_with_bigrams_and_stems_english() -> None:
    terms = analyze("基金定投 Investing in Funds")
    assert "基金" in terms and "#金定" in terms
    assert "invest" in terms and "fund" in terms and "in" not in terms


def test_search_finds_items_in_both_languages(retriever: HybridRetriever) -> None:
    assert ids(retriever.search("pivot tables", k=3))[0] == "C2"
    assert ids(retriever.search("数据透视表", k=3))[0] == "C2"
    top = retriever.search("running 5K", k=1)[0]
    assert (
        top.item_id == "C3" and top.lexical_rank == 1 and top.dense_rank == 1 and top.title == "Running for beginners"
    )
    assert retriever.search("跑步", k=1)[0].title == "跑步入门"


def test_modes_differ_and_bad_input_is_rejected(retriever: HybridRetriever) -> None:
    assert all(r.dense_rank is None for r in retriever.search("fund", k=3, mode="lexical"))
    assert all(r.lexical_rank is None for r in retriever.search("fund", k=3, mode="dense"))
    with pytest.raises(KnowledgeBaseInputError, match="valid modes"):
        retriever.search("fund", mode="magic")
    with pytest.raises(KnowledgeBaseInputError, match="empty"):
        retriever.search("   ")
    with pytest.raises(KnowledgeBaseInputError, match="valid kinds"):
        SearchFilters(kinds=("toy",))


def test_filters_apply_before_top_k(retriever: HybridRetriever) -> None:
    # 'fund' matches F1 (R5), F2 (R4), F3 (R2) and C1; with max R2 the k results are still filled
    results = retriever.search("fund", k=2, filters=SearchFilters(max_risk_level="R2"))
    assert len(results) == 2 and not {"F1", "F2"} & set(ids(results))
    only_finance = retriever.search("fund", k=5, filters=SearchFilters(kinds=("finance",)))
    assert set(ids(only_finance)) == {"F1", "F2", "F3"}


def test_age_price_and_category_filters(retriever: HybridRetriever) -> None:
    def found(**kw: object) -> set[str]:
        return set(ids(retriever.search("critical illness insurance", k=10, filters=SearchFilters(**kw))))  # type: ignore[arg-type]

    assert "I2" in found(age=10) and "I1" not in found(age=10)
    assert "I1" in found(age=30) and "I2" not in found(age=30)
    assert "I1" not in found(max_price=1000) and "I2" in found(max_price=1000)
    assert found(categories=("children",)) == {"I2"}
    assert not {"I1", "I2"} & found(exclude_age_limited_products=True)


def test_update_embeds_only_changed_items_and_returns_a_new_retriever(
    retriever: HybridRetriever, embedder: HashingEmbedder, catalog: list[CatalogItem]
) -> None:
    embedder.encoded.clear()
    new_item = item("C9", "course", "吉他弹唱|八周学会十首歌", "Guitar for beginners|Learn ten songs in eight weeks")
    changed = item("C3", "course", "游泳入门|学会自由泳", "Swimming for beginners|Learn freestyle")
    updated, summary = retriever.updated([new_item, changed, catalog[0]], ["C2"])
    assert summary.to_dict() == {"added": 1, "changed": 1, "deleted": 1, "unchanged": 1}
    assert len(embedder.encoded) == 4  # two items × two languages; nothing else re-embedded
    assert ids(updated.search("guitar", k=1)) == ["C9"]
    assert ids(updated.search("swimming freestyle", k=1)) == ["C3"]
    old_text_hits = {r.item_id: r for r in updated.search("running 5K", k=5)}
    assert "C3" not in old_text_hits or old_text_hits["C3"].lexical_rank is None  # old text is gone
    assert "C2" not in ids(updated.search("pivot tables", k=20))
    assert ids(retriever.search("pivot tables", k=1)) == ["C2"]  # the old one is untouched
    with pytest.raises(KnowledgeBaseInputError, match="unknown item"):
        retriever.updated([], ["NOPE"])


def test_save_load_round_trip_and_atomic_versions(
    retriever: HybridRetriever, tmp_path: Path, config: KnowledgeBaseConfig, embedder: HashingEmbedder
) -> None:
    root = tmp_path / "kb"
    with pytest.raises(KnowledgeBaseInputError, match="no knowledge-base index"):
        storage.load(root, config, embedder)
    first = storage.save(retriever, root)
    loaded = storage.load(root, config, embedder)
    for query in ("fund", "数据透视表", "critical illness"):
        assert [(r.item_id, r.score) for r in loaded.search(query, k=5)] == [
            (r.item_id, r.score) for r in retriever.search(query, k=5)
        ]
    assert loaded.fingerprint() == retriever.fingerprint()
    updated, _ = loaded.updated([], ["C2"])
    second = storage.save(updated, root)
    assert second != first and first.exists()  # the previous version stays for readers still loading it
    assert storage.current_version_dir(root) == second
    assert "C2" not in ids(storage.load(root, config, embedder).search("pivot tables", k=20))
    assert not list((root / "versions").glob(".tmp-*"))


def test_load_refuses_an_index_built_with_another_encoder(retriever: HybridRetriever, tmp_path: Path) -> None:
    storage.save(retriever, tmp_path / "kb")

    class Wider(HashingEmbedder):
        dim = 512

    with pytest.raises(KnowledgeBaseError, match="dimensions"):
        storage.load(tmp_path / "kb", KnowledgeBaseConfig(), Wider())


def test_faq_answer_is_confident_only_for_a_matching_question(retriever: HybridRetriever) -> None:
    answer = retriever.answer_faq("can I get a refund for my course")
    assert answer.item is not None and answer.item.item_id == "Q1" and answer.confident
    assert "7 days" in answer.answer
    zh = retriever.answer_faq("怎么开发票")
    assert zh.item is not None and zh.item.item_id == "Q2" and zh.confident and "电子发票" in zh.answer
    unsure = retriever.answer_faq("what is the weather on mars tomorrow")
    assert not unsure.confident and unsure.score < 0.35


def test_metrics_and_evaluation(retriever: HybridRetriever) -> None:
    assert query_metrics(["a", "b", "c"], ["b"], 3) == (1.0, 0.5, pytest.approx(1 / 1.5849625))
    assert query_metrics(["x", "y"], ["a", "b", "c"], 2)[0] == 0.0
    result = evaluate(retriever, [Judgment("pivot tables", ("C2",)), Judgment("跑步", ("C3",))], k=3)
    assert set(result) >= {"hybrid", "dense", "lexical", "by_language"}
    assert result["hybrid"] == {"recall@3": 1.0, "mrr@3": 1.0, "ndcg@3": 1.0}
    assert set(result["by_language"]) == {"en", "zh"}
