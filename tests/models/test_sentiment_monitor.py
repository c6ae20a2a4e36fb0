"""Sentiment monitoring with a fake classifier: labelling, daily negative share, alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from models.analytics.sentiment_monitor import AlertConfig, detect_alerts, label_messages, sentiment_alerts
from store.db import make_engine, make_session_factory, transaction
from store.tables import Conversation, Message


class KeywordSentiment:
    """Negative when the text says 'bad', positive when 'great', else neutral."""

    labels_ = ["negative", "neutral", "positive"]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        rows = []
        for t in texts:
            if "bad" in t:
                rows.append([0.9, 0.05, 0.05])
            elif "great" in t:
                rows.append([0.05, 0.15, 0.8])
            else:
                rows.append([0.1, 0.7, 0.2])
        return np.array(rows)


def test_label_then_alert_on_a_negative_spike(database_url: str) -> None:
    engine = make_engine(database_url)
    factory = make_session_factory(engine)
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    with transaction(factory) as session:
        for day in range(10):
            conv = Conversation(conversation_id=f"c{day}", user_id=f"u{day}", state={}, campaign="car_season",
                                channel="wechat")  # fmt: skip
            session.add(conv)
            negatives = 15 if day == 9 else 2 + day % 2  # 10–15 % for nine days, then 75 %
            for k in range(20):
                text = "this is bad" if k < negatives else ("great, thanks" if k % 2 else "ok")
                session.add(Message(conversation_id=f"c{day}", sender="user", text=text, cards=[],
                                    created_at=start + timedelta(days=day, minutes=k)))  # fmt: skip
            session.add(Message(conversation_id=f"c{day}", sender="assistant", text="bad bad bad", cards=[],
                                created_at=start + timedelta(days=day)))  # fmt: skip
    with transaction(factory) as session:
        assert label_messages(session, KeywordSentiment(), batch_size=7) == 200
        assert label_messages(session, KeywordSentiment()) == 0  # already labelled
        labelled = session.scalars(select(Message).where(Message.sender == "assistant")).all()
        assert all(m.sentiment is None for m in labelled)  # only user messages are scored
        first = session.scalars(select(Message).where(Message.sender == "user").order_by(Message.id)).first()
        assert first is not None and first.sentiment == "negative" and first.sentiment_score == pytest.approx(0.9)
    with engine.connect() as conn:
        report = sentiment_alerts(conn, config=AlertConfig(lookback_days=7, threshold_sd=3.0, min_messages=20))
    engine.dispose()
    assert len(report["daily"]) == 10
    assert report["daily"][0]["negative_share"] == pytest.approx(0.10)
    [alert] = report["alerts"]
    assert alert["day"] == "2026-11-10" and alert["campaign"] == "car_season" and alert["channel"] == "wechat"
    assert alert["negative_share"] == pytest.approx(0.75) and alert["z"] > 3
    assert "car_season via wechat" in alert["message"]


def test_alert_rule_needs_history_volume_and_a_real_jump() -> None:
    days = [f"2026-11-{d:02d}" for d in range(1, 9)]
    shares = [0.10, 0.10, 0.10, 0.10, 0.12, 0.10, 0.30, 0.30]
    daily = pd.DataFrame({"day": days, "campaign": "c", "channel": "sms", "messages": 50,
                          "negative": [int(s * 50) for s in shares], "negative_share": shares})  # fmt: skip
    alerts = detect_alerts(daily, AlertConfig(lookback_days=5, threshold_sd=2.0, min_messages=20, min_history_days=3))
    assert [a["day"] for a in alerts] == ["2026-11-07"]  # the second 30 % day is inside a noisier history
    quiet = daily.assign(messages=5)
    assert detect_alerts(quiet, AlertConfig(min_messages=20)) == []
    with pytest.raises(ValueError):
        AlertConfig(lookback_days=2, min_history_days=3)
