"""The recommender: collaborative filtering over courses and products, cold start, reasons, suitability."""

from __future__ import annotations

from models.recommender.service import (
    Embedder,
    Recommendation,
    Recommender,
    RecommenderConfig,
    ReloadingRecommender,
    UserContext,
)

__all__ = ["Embedder", "Recommendation", "Recommender", "RecommenderConfig", "ReloadingRecommender", "UserContext"]
