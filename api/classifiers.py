"""Default intent and sentiment classifiers: first-run training steps and loading for the server."""

from __future__ import annotations

import logging
from typing import Any

from api.settings import Settings

log = logging.getLogger("advisor.classifiers")

SENTIMENT_TRAIN = "sentiment/train.csv"
INTENT_TRAIN = "intents/train.csv"


def _threshold_overrides(settings: Settings) -> dict[str, float]:
    """Thresholds set explicitly in the environment win over the ones tuned at training time."""
    out: dict[str, float] = {}
    if "intent_confidence_threshold" in settings.model_fields_set:
        out["confidence_threshold"] = settings.intent_confidence_threshold
    if "intent_margin_threshold" in settings.model_fields_set:
        out["margin_threshold"] = settings.intent_margin_threshold
    return out


def intent_needed(settings: Settings) -> bool:
    return not (settings.intent_dir / "config.json").is_file()


def intent_run(settings: Settings) -> str:
    from transformers.utils import logging as hf_logging

    from models.intent import IntentClassifier
    from store.formats import read_intents

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    frame = read_intents(settings.demo_data_dir / INTENT_TRAIN)
    model = IntentClassifier(
        base_model=settings.base_encoder, epochs=settings.intent_epochs, threads=settings.training_threads
    ).fit(frame["text"].tolist(), frame["intent"].tolist())
    model.save(settings.intent_dir)
    m = model.classifier_.metrics_
    return f"{len(model.labels_)} intents, validation accuracy {m['accuracy']:.3f} → {settings.intent_dir}"


def sentiment_needed(settings: Settings) -> bool:
    return not (settings.sentiment_dir / "config.json").is_file()


def sentiment_run(settings: Settings) -> str:
    from transformers.utils import logging as hf_logging

    from models.sentiment import SentimentClassifier, read_sentiment

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    frame = read_sentiment(settings.demo_data_dir / SENTIMENT_TRAIN)
    model = SentimentClassifier(base_model=settings.base_encoder, threads=settings.training_threads).fit(
        frame["text"].tolist(), frame["label"].tolist()
    )
    model.save(settings.sentiment_dir)
    m = model.classifier_.metrics_
    return f"validation accuracy {m['accuracy']:.3f} → {settings.sentiment_dir}"


def load_intent_classifier(settings: Settings) -> Any:
    """The trained intent classifier, or None (logged) when `advisor init` has not built it yet."""
    from models.intent import IntentClassifier

    if intent_needed(settings):
        log.warning("no intent classifier in %s; run `advisor init`", settings.intent_dir)
        return None
    return IntentClassifier.load(settings.intent_dir, threads=settings.torch_threads, **_threshold_overrides(settings))


def load_sentiment_classifier(settings: Settings) -> Any:
    from models.sentiment import SentimentClassifier

    if sentiment_needed(settings):
        log.warning("no sentiment classifier in %s; run `advisor init`", settings.sentiment_dir)
        return None
    return SentimentClassifier.load(settings.sentiment_dir, threads=settings.torch_threads)
