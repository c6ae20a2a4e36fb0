"""Sentiment monitoring: label user messages, daily negative share per campaign and channel, alerts.

The classifier itself lives elsewhere (`models/sentiment.py`); this module only needs something with the
`TextClassifier` surface (`labels_` and `predict_proba`), typed as the `SentimentModel` protocol so tests
use a fake. Campaign and channel come from the conversation (migration 0002); a conversation without them
is reported under null.

Alert rule: for each (campaign, channel) series, a day with at least `min_messages` labelled messages
alerts when its negative share exceeds the mean of the previous `lookback_days` days that had messages by
more than `threshold_sd` standard deviations (sample sd, floored at `min_sd` so that a perfectly flat
history does not alert on one extra complaint); at least `min_history_days` such days are required.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select, text, update
from sqlalchemy.orm import Session

from models.analytics.reports import Window, _params, _period_sql
from models.errors import ModelInputError
from store.tables import Message

log = logging.getLogger(__name__)

SENTIMENTS = ("positive", "neutral", "negative")


class SentimentModel(Protocol):
    """What the monitor needs from the sentiment classifier."""

    labels_: list[str]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class AlertConfig:
    lookback_days: int = 7
    threshold_sd: float = 2.0
    min_messages: int = 20
    min_history_days: int = 3
    min_sd: float = 0.01

    def __post_init__(self) -> None:
        if self.lookback_days < 1 or self.min_history_days < 1 or self.min_history_days > self.lookback_days:
            raise ModelInputError("need 1 ≤ min_history_days ≤ lookback_days")
        if self.threshold_sd <= 0 or self.min_messages < 1 or self.min_sd < 0:
            raise ModelInputError("threshold_sd must be > 0, min_messages ≥ 1, min_sd ≥ 0")


def label_messages(session: Session, model: SentimentModel, *, batch_size: int = 256, limit: int | None = None) -> int:
    """Writes sentiment and confidence on user messages that have none yet; returns how many."""
    unknown = [label for label in model.labels_ if label not in SENTIMENTS]
    if unknown:
        raise ModelInputError(f"sentiment model labels {unknown} are not in {', '.join(SENTIMENTS)}")
    stmt = select(Message.id, Message.text).where(Message.sender == "user", Message.sentiment.is_(None))
    rows = session.execute(stmt.order_by(Message.id).limit(limit)).all()
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        probs = np.asarray(model.predict_proba([r.text for r in chunk]))
        best = probs.argmax(axis=1)
        session.execute(
            update(Message),
            [{"id": r.id, "sentiment": model.labels_[int(k)], "sentiment_score": float(probs[i, k])}
             for i, (r, k) in enumerate(zip(chunk, best, strict=True))],
        )  # fmt: skip
    log.info("labelled the sentiment of %d user messages", len(rows))
    return len(rows)


def daily_negative_share(conn: Connection, *, window: Window = Window()) -> pd.DataFrame:
    """Per day, campaign and channel: labelled user messages and how many are negative (SQL GROUP BY)."""
    day = _period_sql(conn.dialect.name, "m.created_at", "day")
    where = ""
    if window.since is not None:
        where += " AND m.created_at >= :since"
    if window.until is not None:
        where += " AND m.created_at < :until"
    sql = (
        f"SELECT {day} AS day, c.campaign, c.channel, COUNT(*) AS messages, "
        "SUM(CASE WHEN m.sentiment = 'negative' THEN 1 ELSE 0 END) AS negative "
        "FROM messages m JOIN conversations c ON c.conversation_id = m.conversation_id "
        f"WHERE m.sender = 'user' AND m.sentiment IS NOT NULL{where} "
        "GROUP BY 1, c.campaign, c.channel ORDER BY 2, 3, 1"
    )
    params, binds = _params(window)
    rows = conn.execute(text(sql).bindparams(*binds), params).all()
    frame = pd.DataFrame(rows, columns=["day", "campaign", "channel", "messages", "negative"])
    frame["messages"] = frame["messages"].astype(int)
    frame["negative"] = frame["negative"].astype(int)
    frame["negative_share"] = frame["negative"] / frame["messages"].where(frame["messages"] > 0)
    return frame


def detect_alerts(daily: pd.DataFrame, config: AlertConfig = AlertConfig()) -> list[dict[str, Any]]:
    """The days whose negative share jumps above the series' recent mean (see the module docstring)."""
    alerts: list[dict[str, Any]] = []
    for (campaign, channel), series in daily.groupby(["campaign", "channel"], dropna=False, sort=True):
        series = series.sort_values("day")
        enough = series[series["messages"] >= config.min_messages]
        shares = enough["negative_share"].to_numpy(dtype=float)
        for pos in range(len(enough)):
            history = shares[max(0, pos - config.lookback_days) : pos]
            if len(history) < config.min_history_days:
                continue
            mean = float(history.mean())
            sd = max(float(history.std(ddof=1)) if len(history) > 1 else 0.0, config.min_sd)
            z = (shares[pos] - mean) / sd
            if z > config.threshold_sd:
                row = enough.iloc[pos]
                campaign_name = None if pd.isna(campaign) else str(campaign)
                channel_name = None if pd.isna(channel) else str(channel)
                alerts.append({
                    "day": str(row["day"]), "campaign": campaign_name, "channel": channel_name,
                    "messages": int(row["messages"]), "negative": int(row["negative"]),
                    "negative_share": float(shares[pos]), "baseline_mean": mean, "baseline_sd": sd, "z": float(z),
                    "message": (f"negative share {shares[pos]:.0%} on {row['day']} for campaign "
                                f"{campaign_name or '(none)'} via {channel_name or '(none)'}: {z:.1f} sd above "
                                f"its {len(history)}-day mean of {mean:.0%}"),
                })  # fmt: skip
    return sorted(alerts, key=lambda a: (a["day"], -a["z"]), reverse=True)


def sentiment_alerts(
    conn: Connection, *, config: AlertConfig = AlertConfig(), window: Window = Window()
) -> dict[str, Any]:
    """What the admin dashboard and chat show: the alerts (newest first) and the daily series."""
    daily = daily_negative_share(conn, window=window)
    alerts = detect_alerts(daily, config)
    series = daily.astype(object).where(daily.notna(), None).to_dict("records")
    return {"config": asdict(config), **window.as_dict(), "alerts": alerts, "daily": series}
