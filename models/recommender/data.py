"""Reading the recommender's training data from the store (interactions, catalog, segments)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from store import repository
from store.formats import CatalogItem
from store.tables import Interaction, Profile


def stored_interactions(session: Session) -> pd.DataFrame:
    """Every stored interaction as a `user_id,item_id,weight` frame."""
    rows = session.execute(select(Interaction.user_id, Interaction.item_id, Interaction.weight)).all()
    return pd.DataFrame(rows, columns=["user_id", "item_id", "weight"]).astype(
        {"user_id": str, "item_id": str, "weight": "float32"}
    )


def stored_segments(session: Session) -> Mapping[str, str | None]:
    return {u: s for u, s in session.execute(select(Profile.user_id, Profile.segment)).all()}


def training_data(session: Session) -> tuple[pd.DataFrame, list[CatalogItem], Mapping[str, str | None]]:
    """(interactions, catalog, user → segment) as `Recommender.fit` takes them."""
    return stored_interactions(session), repository.catalog_items(session), stored_segments(session)
