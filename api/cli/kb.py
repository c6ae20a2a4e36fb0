"""`advisor kb …`: build, update, search, evaluate the knowledge-base index and answer FAQs."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.common import configure_logging, emit_json, settings

kb_app = typer.Typer(help="Knowledge base: hybrid (FAISS + BM25) index over the catalog.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="print one JSON object")]


def _retriever_parts() -> tuple[Any, Any]:
    from api.services import kb_config
    from knowledge_base.embedder import SentenceEmbedder

    s = settings()
    configure_logging(s.log_level)
    config = kb_config(s)
    return config, SentenceEmbedder(config.encoder, threads=config.torch_threads, batch_size=config.batch_size)


@kb_app.command("build")
def build(
    catalog: Annotated[Path, typer.Option("--catalog", help="catalog .csv or .jsonl")],
    out: Annotated[Path, typer.Option("--out", help="index directory (versions inside, swapped atomically)")],
    update: Annotated[
        bool,
        typer.Option("--update", help="update the index in --out: embed only new/changed items, drop missing ones"),
    ] = False,
    keep_missing: Annotated[
        bool, typer.Option("--keep-missing", help="with --update: keep items that are not in the file")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Embeddings, FAISS index and lexical index for a catalog (or an incremental update of one)."""
    from knowledge_base import storage
    from knowledge_base.retriever import HybridRetriever
    from store.formats import read_catalog

    items = read_catalog(catalog)  # validates the whole file first
    config, embedder = _retriever_parts()
    started = time.perf_counter()
    summary: dict[str, Any]
    if update and storage.exists(out):
        current = storage.load(out, config, embedder)
        in_file = {i.item_id for i in items}
        deletes = [] if keep_missing else [i.item_id for i in current.items() if i.item_id not in in_file]
        retriever, changes = current.updated(items, deletes)
        summary = {"mode": "update", **changes.to_dict()}
    else:
        retriever = HybridRetriever(config, embedder).build(items, progress=sys.stderr.isatty())
        summary = {"mode": "build", "added": len(items)}
    version_dir = storage.save(retriever, out)
    manifest = retriever.manifest()
    result = {
        "index": str(out), "version": version_dir.name, "items": manifest["item_count"],
        "vectors": manifest["vectors"], "dense_index": manifest["dense_index"], "model": manifest["model"],
        "catalog_fingerprint": manifest["catalog_fingerprint"], "seconds": round(time.perf_counter() - started, 2),
        **summary,
    }  # fmt: skip
    if as_json:
        emit_json(result)
    else:
        typer.echo(", ".join(f"{k}: {v}" for k, v in result.items()))


def _filters(kind: list[str] | None, **kwargs: Any) -> Any:
    from knowledge_base.types import SearchFilters

    return SearchFilters(kinds=tuple(kind) if kind else None, **kwargs)


@kb_app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="the query text")],
    index: Annotated[Path, typer.Option("--index", help="index directory from `advisor kb build`")],
    k: Annotated[int, typer.Option("--k", help="how many results")] = 10,
    kind: Annotated[list[str] | None, typer.Option("--kind", help="only this kind (repeatable)")] = None,
    category: Annotated[list[str] | None, typer.Option("--category", help="only this category (repeatable)")] = None,
    min_price: Annotated[float | None, typer.Option("--min-price")] = None,
    max_price: Annotated[float | None, typer.Option("--max-price")] = None,
    language: Annotated[str | None, typer.Option("--language", help="zh | en: items with text in it")] = None,
    age: Annotated[int | None, typer.Option("--age", help="the user's age (items' age limits)")] = None,
    max_risk: Annotated[str | None, typer.Option("--max-risk", help="R1..R5: exclude riskier items")] = None,
    mode: Annotated[str, typer.Option("--mode", help="hybrid | dense | lexical")] = "hybrid",
    as_json: JsonFlag = False,
) -> None:
    """Ranked items with scores (hybrid retrieval, filters applied before the top-k)."""
    from knowledge_base import storage

    filters = _filters(kind, categories=tuple(category) if category else None, min_price=min_price,
                       max_price=max_price, language=language, age=age, max_risk_level=max_risk)  # fmt: skip
    config, embedder = _retriever_parts()
    retriever = storage.load(index, config, embedder)
    started = time.perf_counter()
    results = retriever.search(query, k=k, filters=filters, mode=mode)
    elapsed = (time.perf_counter() - started) * 1000
    if as_json:
        emit_json({"query": query, "k": k, "mode": mode, "latency_ms": round(elapsed, 2),
                   "results": [r.to_dict() for r in results]})  # fmt: skip
        return
    for rank, r in enumerate(results, start=1):
        typer.echo(f"{rank:>3}. {r.score:.4f} {r.item_id:<10} {r.kind:<10} {r.title}")


@kb_app.command("faq")
def faq(
    question: Annotated[str, typer.Argument(help="the user's question")],
    index: Annotated[Path, typer.Option("--index", help="index directory from `advisor kb build`")],
    as_json: JsonFlag = False,
) -> None:
    """The best FAQ entry with a 0..1 score; below the faq_min_score setting it is not confident."""
    from knowledge_base import storage

    config, embedder = _retriever_parts()
    answer = storage.load(index, config, embedder).answer_faq(question)
    if as_json:
        emit_json(answer.to_dict())
    else:
        flag = "" if answer.confident else " (not sure: offer a person)"
        typer.echo(f"{answer.score:.3f}{flag} {answer.question}\n{answer.answer}")


@kb_app.command("evaluate")
def evaluate(
    catalog: Annotated[Path, typer.Option("--catalog", help="catalog .csv or .jsonl")],
    queries: Annotated[Path, typer.Option("--queries", help="judgments CSV: query,relevant (ids |-separated)")],
    k: Annotated[int, typer.Option("--k", help="cut-off")] = 5,
    index: Annotated[
        Path | None, typer.Option("--index", help="reuse this built index when it matches the catalog")
    ] = None,
    details: Annotated[bool, typer.Option("--details", help="include every query's rankings")] = False,
    as_json: JsonFlag = False,
) -> None:
    """recall@k, MRR@k, nDCG@k for hybrid, dense-only and lexical-only retrieval (and per language)."""
    from knowledge_base import storage
    from knowledge_base.evaluation import evaluate as run_evaluation
    from knowledge_base.retriever import HybridRetriever, catalog_fingerprint
    from store.formats import read_catalog, read_judgments

    if k < 1:
        raise typer.BadParameter("--k must be at least 1")
    items = read_catalog(catalog)
    judgments = read_judgments(queries)
    config, embedder = _retriever_parts()
    retriever = None
    if index is not None and storage.exists(index):
        loaded = storage.load(index, config, embedder)
        if loaded.fingerprint() == catalog_fingerprint(items):
            retriever = loaded
    if retriever is None:
        retriever = HybridRetriever(config, embedder).build(items, progress=sys.stderr.isatty())
    result = run_evaluation(retriever, judgments, k=k)
    if not details:
        result.pop("per_query")
    if as_json:
        emit_json(result)
        return
    for mode in ("hybrid", "dense", "lexical"):
        typer.echo(f"{mode:<8} " + "  ".join(f"{name} {value:.4f}" for name, value in result[mode].items()))
