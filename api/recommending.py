"""Glue between the settings, the store and the recommender / segment models (CLI, bootstrap, server)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.settings import Settings
from models.recommender import Embedder, Recommender, RecommenderConfig
from models.recommender.data import training_data
from models.segments import SegmentModel, features
from store import repository
from store.db import make_engine, make_session_factory, transaction
from store.tables import Event, Profile

log = logging.getLogger("advisor.recommending")


def recommender_config(settings: Settings) -> RecommenderConfig:
    return RecommenderConfig(
        algorithm=settings.recommender_algorithm,
        l2=settings.recommender_l2,
        weighting=settings.recommender_weighting,
        content_weight=settings.recommender_content_weight,
        profile_weight=settings.recommender_profile_weight,
    )


def event_weights(settings: Settings) -> dict[str, float]:
    """Interaction weight of each funnel event type (view < click < enrol/lead < purchase)."""
    return {
        "click": settings.recommender_weight_click,
        "course_purchase": settings.recommender_weight_purchase,
        "insurance_lead": settings.recommender_weight_enroll,
        "policy_purchase": settings.recommender_weight_purchase,
    }


def event_interactions(session: Session, settings: Settings) -> pd.DataFrame:
    """Stored funnel events about an item, as weighted interactions (exposures carry no preference)."""
    weights = event_weights(settings)
    rows = session.execute(
        select(Event.user_id, Event.item_id, Event.event_type).where(
            Event.item_id.is_not(None), Event.user_id.is_not(None), Event.event_type.in_(tuple(weights))
        )
    ).all()
    frame = pd.DataFrame(rows, columns=["user_id", "item_id", "event_type"])
    frame["weight"] = frame["event_type"].map(weights).astype("float32")
    return frame[["user_id", "item_id", "weight"]]


def content_embedder(settings: Settings) -> Embedder | None:
    """The knowledge base's sentence embedder (base_encoder), or None when it cannot be loaded."""
    if not settings.recommender_content_embeddings:
        return None
    try:
        from knowledge_base.embedder import SentenceEmbedder

        return SentenceEmbedder(settings.base_encoder, threads=settings.torch_threads)
    except Exception:  # noqa: BLE001 - content similarity is an extra; train without it
        log.exception("cannot load the encoder %s; training without content embeddings", settings.base_encoder)
        return None


def train_recommender(settings: Settings, *, out: Path | None = None, embedder: Embedder | None = None,
                      use_embedder: bool = True) -> dict[str, Any]:  # fmt: skip
    """Trains on the stored interactions (and item events) and saves to `out` or settings.recommender_dir."""
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            interactions, catalog, segments = training_data(session)
            events = event_interactions(session, settings)
    finally:
        engine.dispose()
    frame = pd.concat([interactions, events], ignore_index=True) if len(events) else interactions
    if embedder is None and use_embedder:
        embedder = content_embedder(settings)
    model = Recommender(recommender_config(settings)).fit(frame, catalog, segments=segments, embedder=embedder)
    target = model.save(out or settings.recommender_dir)
    return {
        "out": str(target),
        "algorithm": model.algorithm_,
        "users": int(len(model.user_ids_)),
        "items": int(len(model.item_ids_)),
        "interactions": int(model.n_interactions_),
        "from_events": int(len(events)),
        "content_embeddings": model.embeddings_ is not None,
        "train_seconds": round(model.train_seconds_, 3),
    }


def recommender_needed(settings: Settings) -> bool:
    return not (settings.recommender_dir / "config.json").is_file()


def recommender_step_run(settings: Settings) -> str:
    summary = train_recommender(settings)
    return (f"{summary['algorithm']} on {summary['interactions']:,} interactions, {summary['users']:,} users, "
            f"{summary['items']} items in {summary['train_seconds']}s")  # fmt: skip


# ---------------------------------------------------------------------------------------------- segments


def segments_dir(settings: Settings) -> Path:
    return settings.artifacts_dir / "segments"


def _profiles_frame(session: Session) -> pd.DataFrame:
    rows = session.execute(
        select(Profile.user_id, Profile.age, Profile.income, Profile.family, Profile.risk_tolerance)
    ).all()
    return pd.DataFrame(rows, columns=["user_id", "age", "income", "family", "risk_tolerance"])


def compute_segments(settings: Settings, *, k: int | None = None) -> dict[str, Any]:
    """Fits the segment model on stored profiles + interactions, stores each user's segment, saves the model."""
    engine = make_engine(settings.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            interactions, catalog, _ = training_data(session)
            frame = features(_profiles_frame(session), interactions, {i.item_id: i.kind for i in catalog})
            model = SegmentModel(k=k or (settings.segments_k or None)).fit(frame)
            labels = model.predict(frame)
            for user_id, name in zip(frame.index, labels, strict=True):
                repository.update_profile(session, str(user_id), {"segment": name})
    finally:
        engine.dispose()
    model.save(segments_dir(settings))
    return {
        "users": len(frame),
        "k": len(model.segments_),
        "silhouette": round(model.silhouette_, 4),
        "segments": [s.to_dict() for s in model.segments_],
        "out": str(segments_dir(settings)),
    }
