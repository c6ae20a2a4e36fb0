"""Message sentiment (positive / neutral / negative) on the shared BERT fine-tuning code.

Why a classifier of its own: the dialogue hands a conversation to a human agent sooner when the user is
upset, and the dashboard tracks satisfaction; both need a calibrated per-message sentiment in zh and en.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from models.errors import ModelInputError, NotFittedError
from models.text_classifier import TextClassifier
from store.formats import read_csv_strings, require_choice, require_nonempty

SENTIMENT_LABELS = ("negative", "neutral", "positive")


def read_sentiment(path: str | Path) -> pd.DataFrame:
    """`text,label` rows with label in positive/neutral/negative; bad files raise DataFormatError."""
    frame = read_csv_strings(path, required=("text", "label"))
    require_nonempty(frame, path, ("text", "label"))
    require_choice(frame, path, "label", SENTIMENT_LABELS)
    return frame[["text", "label"]].reset_index(drop=True)


@dataclass(frozen=True)
class SentimentPrediction:
    label: str
    confidence: float
    scores: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "confidence": self.confidence, "scores": self.scores}


class SentimentClassifier:
    """Calibrated sentiment of short chat messages (any language the training data covers)."""

    def __init__(self, *, base_model: str, epochs: int = 6, threads: int = 2, progress: bool = True, **training: Any):
        self.base_model = base_model
        self.epochs = epochs
        self.threads = threads
        self.progress = progress
        self.training = training

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> SentimentClassifier:
        unknown = sorted(set(labels) - set(SENTIMENT_LABELS))
        if unknown:
            raise ModelInputError(f"unknown sentiment label(s) {unknown}; valid: {', '.join(SENTIMENT_LABELS)}")
        self.classifier_ = TextClassifier(
            base_model=self.base_model,
            epochs=self.epochs,
            threads=self.threads,
            progress=self.progress,
            kind="sentiment",
            **self.training,
        ).fit(texts, labels)
        return self

    def _fitted(self) -> TextClassifier:
        if not hasattr(self, "classifier_"):
            raise NotFittedError("the sentiment classifier is not trained: call fit() or load() first")
        return self.classifier_

    @property
    def labels_(self) -> list[str]:
        return self._fitted().labels_

    def predict_proba(self, texts: Sequence[str]) -> Any:
        return self._fitted().predict_proba(texts)

    def predict(self, texts: Sequence[str]) -> list[SentimentPrediction]:
        if isinstance(texts, str):
            raise ModelInputError("predict takes a list of texts, not a single string")
        classifier = self._fitted()
        probs = classifier.predict_proba(texts)
        out = []
        for row in probs:
            best = int(row.argmax())
            out.append(
                SentimentPrediction(
                    label=classifier.labels_[best],
                    confidence=float(row[best]),
                    scores={name: float(row[i]) for i, name in enumerate(classifier.labels_)},
                )
            )
        return out

    def save(self, directory: str | Path) -> Path:
        return self._fitted().save(directory)

    @classmethod
    def load(cls, directory: str | Path, *, threads: int | None = None) -> SentimentClassifier:
        classifier = TextClassifier.load(directory, threads=threads, kind="sentiment")
        self = cls(base_model=classifier.base_model, epochs=classifier.epochs, threads=classifier.threads)
        self.classifier_ = classifier
        return self
