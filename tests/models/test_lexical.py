"""The character n-gram side of the text classifiers: what it learns, the blend, and its storage."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.lexical import LexicalModel, blend, tune_weight

TEXTS = [
    "重疾险怎么理赔", "重疾险理赔要什么材料", "how do I claim on critical illness cover", "claim for my illness policy",
    "退款怎么申请", "课程可以退款吗", "how do I get a refund", "refund for the course please",
]  # fmt: skip
Y = np.array([0, 0, 0, 0, 1, 1, 1, 1])


def test_learns_character_ngrams_in_both_languages_and_typos() -> None:
    model = LexicalModel().fit(TEXTS, Y, n_labels=3)
    unseen = ["重疾险理赔进度", "refnud my course", "claiming illness insurance"]
    assert model.log_proba(unseen).argmax(1).tolist() == [0, 1, 0]
    # a label without training examples is never the answer
    assert (model.log_proba(unseen)[:, 2] < -20).all()


def test_round_trip_is_exact_and_without_pickle(tmp_path: Path) -> None:
    model = LexicalModel().fit(TEXTS, Y, n_labels=2)
    model.save(tmp_path)
    loaded = LexicalModel.load(tmp_path)
    assert loaded is not None
    probe = ["理赔", "refund", "完全无关的话 xyz"]
    np.testing.assert_allclose(loaded.log_proba(probe), model.log_proba(probe), rtol=1e-6)
    assert LexicalModel.load(tmp_path / "missing") is None


def test_blend_weight_is_tuned_and_zero_keeps_the_encoder_ranking() -> None:
    rng = np.random.default_rng(0)
    bert = rng.normal(size=(8, 2)).astype(np.float32)  # an encoder that knows nothing
    lexical = LexicalModel().fit(TEXTS, Y, n_labels=2).log_proba(TEXTS)
    weight, f1 = tune_weight(bert, lexical, Y, (0.0, 0.3, 0.6))
    assert weight > 0 and f1 == 1.0
    assert (blend(bert, lexical, 0.0).argmax(1) == bert.argmax(1)).all()
    assert (blend(bert, None, 0.5).argmax(1) == bert.argmax(1)).all()
