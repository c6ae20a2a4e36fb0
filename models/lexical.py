"""Character n-gram logistic regression, blended with the BERT classifier's probabilities.

Why: the fine-tuned encoder generalises over wording, but it starts from an English model whose Chinese
characters are new rows learnt from a few thousand sentences; exact character n-grams (保证续保, 自燃险)
and typos are what a linear model over TF-IDF character n-grams catches best. The blend weight is tuned
on the validation split (0 switches it off), so the lexical side only counts where it helps there.

Stored as plain arrays (`lexical.npz`, loaded with allow_pickle=False) and a JSON vocabulary: no pickle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

ARRAYS_FILE = "lexical.npz"
VOCABULARY_FILE = "lexical_vocabulary.json"
NGRAM_RANGE = (1, 4)


def _vectorizer(vocabulary: dict[str, int] | None = None) -> Any:
    """The one TF-IDF configuration, for fitting and (with a stored vocabulary) for scoring."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    # char_wb: n-grams inside word boundaries; Chinese runs have no spaces, so they form long "words"
    # whose character n-grams are exactly the character n-grams of the sentence.
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=NGRAM_RANGE, lowercase=True, sublinear_tf=True, dtype=np.float32,
        vocabulary=vocabulary,
    )  # fmt: skip


class LexicalModel:
    """TF-IDF (sublinear tf, l2) over character 1–4-grams → multinomial logistic regression."""

    def __init__(self, *, c: float = 20.0, max_iter: int = 3000) -> None:
        self.c = c
        self.max_iter = max_iter

    def fit(self, texts: Sequence[str], y: np.ndarray, n_labels: int) -> LexicalModel:
        """`y` holds label ids in [0, n_labels); labels absent from `y` get a constant very low score."""
        from sklearn.linear_model import LogisticRegression

        vectorizer = _vectorizer()
        features = vectorizer.fit_transform(list(texts))
        model = LogisticRegression(C=self.c, max_iter=self.max_iter).fit(features, y)
        coef = np.full((n_labels, features.shape[1]), 0.0, dtype=np.float32)
        intercept = np.full(n_labels, -30.0, dtype=np.float32)  # never predicted when unseen in training
        classes = model.classes_.astype(int)
        if len(classes) == 2:  # binary logistic regression keeps one row: score the second class against the first
            coef[classes[1]], intercept[classes[1]] = model.coef_[0], model.intercept_[0]
            intercept[classes[0]] = 0.0
        else:
            coef[classes], intercept[classes] = model.coef_, model.intercept_
        self.vocabulary_: dict[str, int] = {k: int(v) for k, v in vectorizer.vocabulary_.items()}
        self.idf_ = vectorizer.idf_.astype(np.float32)
        self.coef_ = coef
        self.intercept_ = intercept
        self._scoring = None
        return self

    def _features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self.vectorizer_.transform(list(texts))

    @property
    def vectorizer_(self) -> Any:
        """Scoring vectorizer rebuilt from the stored vocabulary and idf (built once, then reused)."""
        if getattr(self, "_scoring", None) is None:
            scoring = _vectorizer(self.vocabulary_)
            scoring.idf_ = self.idf_
            self._scoring = scoring
        return self._scoring

    def log_proba(self, texts: Sequence[str]) -> np.ndarray:
        from scipy.special import log_softmax

        scores = self._features(texts) @ self.coef_.T + self.intercept_
        return np.asarray(log_softmax(np.asarray(scores, dtype=np.float64), axis=1), dtype=np.float32)

    def save(self, directory: Path) -> None:
        np.savez_compressed(directory / ARRAYS_FILE, idf=self.idf_, coef=self.coef_, intercept=self.intercept_)
        (directory / VOCABULARY_FILE).write_text(json.dumps(self.vocabulary_, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> LexicalModel | None:
        """The stored model, or None when the directory has none (a classifier trained without it)."""
        if not (directory / ARRAYS_FILE).is_file():
            return None
        self = cls()
        with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
            self.idf_, self.coef_, self.intercept_ = arrays["idf"], arrays["coef"], arrays["intercept"]
        self.vocabulary_ = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        return self


def blend(
    bert_logits: np.ndarray, lexical_log_proba: np.ndarray | None, weight: float | np.ndarray
) -> np.ndarray:
    """Log-linear blend: (1 − w)·log p_bert + w·log p_lexical (returned as logits to calibrate).

    `weight` is one number or a column of per-row weights.
    """
    from scipy.special import log_softmax

    bert = log_softmax(bert_logits.astype(np.float64), axis=1)  # softmax-equivalent to the logits
    if lexical_log_proba is None or np.all(np.asarray(weight) <= 0):
        return np.asarray(bert, dtype=np.float32)
    return np.asarray((1.0 - weight) * bert + weight * lexical_log_proba, dtype=np.float32)


def tune_weight(
    bert_logits: np.ndarray, lexical_log_proba: np.ndarray, y: np.ndarray, grid: Sequence[float]
) -> tuple[float, float]:
    """The blend weight with the best validation macro-F1 (ties: the smaller weight) and that F1."""
    from sklearn.metrics import f1_score

    present = sorted(set(y.tolist()))
    best = (-1.0, 0.0)
    for weight in grid:
        predicted = blend(bert_logits, lexical_log_proba, weight).argmax(1)
        f1 = float(f1_score(y, predicted, labels=present, average="macro", zero_division=0))
        if f1 > best[0] + 1e-9:
            best = (f1, float(weight))
    return best[1], best[0]
