"""The heavy, long-lived objects of one server process, built once in the lifespan."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.settings import Settings
from models.recommender.service import ReloadingRecommender
from store.db import make_engine, make_session_factory, migrate

if TYPE_CHECKING:
    from knowledge_base.config import KnowledgeBaseConfig
    from knowledge_base.retriever import HybridRetriever
    from models.intent import IntentClassifier
    from models.sentiment import SentimentClassifier

log = logging.getLogger("advisor.services")


@dataclass
class Metrics:
    """Prometheus collectors in a registry of their own (one per app, so tests do not collide)."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        self.requests = Counter(
            "advisor_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "advisor_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
        )


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    metrics: Metrics
    # knowledge base (issue 4): the hybrid retriever, replaced as a whole (atomically) on catalog updates
    retriever: HybridRetriever | None = None
    # recommender (issue 5): holds the served model, reloads a newer artifact on request (no restart)
    recommender: ReloadingRecommender | None = None
    # intent and sentiment classifiers (issues 3 and 7): loaded once, None when not trained yet
    intent_classifier: IntentClassifier | None = None
    sentiment_classifier: SentimentClassifier | None = None

    @classmethod
    def build(cls, settings: Settings, *, apply_migrations: bool = True) -> Services:
        if apply_migrations:
            migrate(settings.database_url)
        engine = make_engine(settings.database_url)
        services = cls(settings=settings, engine=engine, sessions=make_session_factory(engine), metrics=Metrics())
        services.retriever = load_retriever(settings)
        services.recommender = ReloadingRecommender(
            settings.recommender_dir, check_every_s=settings.recommender_reload_seconds
        )
        from api.classifiers import load_intent_classifier, load_sentiment_classifier

        services.intent_classifier = load_intent_classifier(settings)
        services.sentiment_classifier = load_sentiment_classifier(settings)
        return services

    def close(self) -> None:
        self.engine.dispose()


# --- knowledge base (issue 4)


def kb_config(settings: Settings) -> KnowledgeBaseConfig:
    """The knowledge base's plain config object from the settings."""
    from knowledge_base.config import KnowledgeBaseConfig

    return KnowledgeBaseConfig(
        encoder=settings.base_encoder,
        torch_threads=settings.torch_threads,
        rrf_k=settings.rrf_k,
        dense_weight=settings.dense_weight,
        lexical_weight=settings.lexical_weight,
        exact_index_max_items=settings.exact_index_max_items,
        faq_min_score=settings.faq_min_score,
    )


def load_retriever(settings: Settings) -> HybridRetriever | None:
    """The retriever from settings.kb_dir, or None (logged) so the API still starts without an index."""
    from knowledge_base import storage
    from knowledge_base.embedder import SentenceEmbedder
    from knowledge_base.errors import KnowledgeBaseError

    if not storage.exists(settings.kb_dir):
        log.warning("no knowledge-base index in %s; search is unavailable until `advisor init`", settings.kb_dir)
        return None
    config = kb_config(settings)
    try:
        embedder = SentenceEmbedder(config.encoder, threads=config.torch_threads, batch_size=config.batch_size)
        return storage.load(settings.kb_dir, config, embedder)
    except KnowledgeBaseError:
        log.exception("cannot load the knowledge-base index from %s; search is unavailable", settings.kb_dir)
        return None


def kb_index_needed(settings: Settings) -> bool:
    """Bootstrap: the index is needed when settings.kb_dir holds none."""
    from knowledge_base import storage

    return not storage.exists(settings.kb_dir)


def kb_index_run(settings: Settings) -> str:
    """Bootstrap: builds settings.kb_dir from the catalog stored in the database (progress bar on stderr)."""
    from knowledge_base import storage
    from knowledge_base.embedder import SentenceEmbedder
    from knowledge_base.retriever import HybridRetriever
    from store import repository
    from store.db import transaction

    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            items = repository.catalog_items(session)
    finally:
        engine.dispose()
    if not items:
        return "skipped: the catalog is empty (load one with `advisor load catalog`)"
    config = kb_config(settings)
    embedder = SentenceEmbedder(config.encoder, threads=config.torch_threads, batch_size=config.batch_size)
    retriever = HybridRetriever(config, embedder).build(items, progress=True)
    storage.save(retriever, settings.kb_dir)
    dense = retriever.dense_
    return f"{retriever.n_items} items, {dense.n_live} vectors ({dense.kind_}) in {settings.kb_dir}"
