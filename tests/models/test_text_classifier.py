"""Contract tests of the shared BERT classifier and the intent/sentiment classifiers on a TINY model.

The tiny model (2 layers, hidden 64) is built locally from the bundled tokenizer and trained once per
session on synthetic data with a known answer: the label is given by a keyword (English or Chinese).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models.errors import ModelInputError, NotFittedError
from models.intent import OUT_OF_SCOPE, IntentClassifier, decide, tune_thresholds
from models.sentiment import SentimentClassifier
from models.text_classifier import TextClassifier, extend_vocabulary

ADVISOR = str(Path(sys.executable).parent / "advisor")
TINY = {"epochs": 8, "batch_size": 16, "learning_rate": 1e-3, "embedding_learning_rate": 3e-3, "progress": False}

KEYWORDS = {
    "buy_insurance": ["insurance", "保险", "policy", "保单"],
    "learn_course": ["course", "课程", "lesson", "学习"],
    OUT_OF_SCOPE: ["weather", "天气", "football", "足球"],
}
FILLERS = ["please", "I want", "tell me about", "我想", "请问", "关于", "now", "today", "的", "吗"]


def synthetic(n_per_label: int, seed: int) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for label, words in KEYWORDS.items():
        for _ in range(n_per_label):
            parts = [str(rng.choice(FILLERS)), str(rng.choice(words)), str(rng.choice(FILLERS))]
            rng.shuffle(parts)
            texts.append(" ".join(parts))
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A 2-layer, hidden-64 BERT with the bundled tokenizer, saved like any local model directory."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    from api.settings import Settings

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("tiny_bert")
    tokenizer = AutoTokenizer.from_pretrained(Settings().base_encoder, local_files_only=True)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=128,
        max_position_embeddings=128,
    )
    BertModel(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return str(path)


@pytest.fixture(scope="session")
def trained_intent(tiny_base: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[IntentClassifier, Path]:
    texts, labels = synthetic(40, seed=1)
    model = IntentClassifier(base_model=tiny_base, **TINY).fit(texts, labels)
    out = tmp_path_factory.mktemp("intent_model")
    model.save(out)
    return model, out


def test_cjk_characters_get_their_own_token_ids(tiny_base: str) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_base, local_files_only=True)
    before = len(tokenizer)
    assert tokenizer.unk_token in tokenizer.tokenize("重疾险")  # the premise: the English vocab lacks them
    added = extend_vocabulary(tokenizer, ["我想买重疾险", "医疗险多少钱"])
    assert "疾" in added and len(tokenizer) == before + len(added)
    tokens = tokenizer.tokenize("重疾险 hello")
    assert tokens == ["重", "疾", "险", "hello"]
    ids = tokenizer.convert_tokens_to_ids(["重", "疾", "险"])
    assert len(set(ids)) == 3 and tokenizer.unk_token_id not in ids
    assert all(i >= before for i in ids if tokenizer.convert_ids_to_tokens(i) in added)


def test_predict_before_fit_raises_not_fitted(tiny_base: str) -> None:
    with pytest.raises(NotFittedError):
        TextClassifier(base_model=tiny_base).predict(["hello"])
    with pytest.raises(NotFittedError):
        IntentClassifier(base_model=tiny_base).predict(["hello"])
    with pytest.raises(NotFittedError):
        SentimentClassifier(base_model=tiny_base).predict(["hello"])


def test_bad_training_input_is_an_input_error(tiny_base: str) -> None:
    with pytest.raises(ModelInputError):
        TextClassifier(base_model=tiny_base).fit(["a", "b"], ["x"])
    with pytest.raises(ModelInputError):
        TextClassifier(base_model=tiny_base).fit(["a", "b", "c"], ["x", "x", "x"])
    with pytest.raises(ModelInputError):
        SentimentClassifier(base_model=tiny_base).fit(["a", "b"], ["happy", "sad"])


@pytest.mark.slow
def test_fit_predict_save_load_round_trip(trained_intent: tuple[IntentClassifier, Path]) -> None:
    model, out = trained_intent
    texts, labels = synthetic(10, seed=99)  # unseen combinations of the same keywords
    predictions = model.predict(texts)
    accuracy = np.mean([p.top == gold for p, gold in zip(predictions, labels, strict=True)])
    assert accuracy >= 0.9, accuracy
    # Chinese-only keywords are learned too (they are real tokens, not [UNK])
    zh = model.predict(["请问 保单", "我想 课程"])
    assert [p.top for p in zh] == ["buy_insurance", "learn_course"]

    loaded = IntentClassifier.load(out)
    np.testing.assert_array_equal(loaded.predict_proba(texts), model.predict_proba(texts))
    assert loaded.predict(texts) == predictions
    assert loaded.thresholds == model.thresholds

    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    for key in ("labels", "hyperparameters", "versions", "data_fingerprint", "temperature", "thresholds"):
        assert key in config
    assert set(config["thresholds"]) == {"confidence", "margin"} and config["temperature"] > 0
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert set(metrics["per_label"]) == set(KEYWORDS)
    assert len(metrics["confusion_matrix"]["matrix"]) == len(KEYWORDS)
    assert (out / "model.safetensors").is_file() and (out / "tokenizer.json").is_file()


@pytest.mark.slow
def test_predictions_are_ranked_calibrated_probabilities(trained_intent: tuple[IntentClassifier, Path]) -> None:
    model, _ = trained_intent
    [p] = model.predict(["tell me about insurance"], top_k=3)
    confidences = [c for _, c in p.ranked]
    assert confidences == sorted(confidences, reverse=True) and len(p.ranked) == 3
    assert p.top == p.ranked[0][0] and p.confidence == pytest.approx(confidences[0])
    assert model.predict_proba(["x", "y"]).sum(axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)


@pytest.mark.slow
def test_threshold_override_sends_everything_out_of_scope(trained_intent: tuple[IntentClassifier, Path]) -> None:
    _, out = trained_intent
    strict = IntentClassifier.load(out, confidence_threshold=1.01)
    assert all(p.is_out_of_scope and p.intent == OUT_OF_SCOPE for p in strict.predict(["insurance please"]))
    lenient = IntentClassifier.load(out, confidence_threshold=0.0, margin_threshold=0.0)
    [p] = lenient.predict(["insurance please"])
    assert p.intent == "buy_insurance" and not p.is_out_of_scope


def test_out_of_scope_decision_uses_confidence_margin_and_label() -> None:
    labels = ["a", "b", OUT_OF_SCOPE]
    probs = np.array(
        [
            [0.90, 0.05, 0.05],  # confident a
            [0.40, 0.30, 0.30],  # low confidence
            [0.52, 0.48, 0.00],  # confident enough but ambiguous
            [0.05, 0.05, 0.90],  # the out_of_scope label itself
        ]
    )
    _, _, margin, oos, ambiguous = decide(probs, labels, confidence_threshold=0.5, margin_threshold=0.1)
    assert oos.tolist() == [False, True, True, True]
    assert ambiguous.tolist() == [False, False, True, False]
    assert margin[0] == pytest.approx(0.85)


def test_threshold_tuning_catches_unsure_out_of_scope_without_hurting_in_scope() -> None:
    labels = ["a", "b", OUT_OF_SCOPE]
    rng = np.random.default_rng(0)
    confident = [[0.9, 0.05, 0.05]] * 40 + [[0.05, 0.9, 0.05]] * 40
    # out-of-scope messages the model wrongly puts in "a"/"b" but without confidence
    unsure = [[0.45 + rng.uniform(0, 0.1), 0.35, 0.1] for _ in range(20)]
    probs = np.array(confident + unsure)
    gold = ["a"] * 40 + ["b"] * 40 + [OUT_OF_SCOPE] * 20
    ct, mt, scores = tune_thresholds(probs, gold, labels, min_in_scope_accuracy=0.93)
    assert scores["out_of_scope_recall"] == 1.0 and scores["in_scope_accuracy"] == 1.0
    assert ct > 0.55 or mt >= 0.2


def _advisor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ADVISOR, *args], capture_output=True, text=True, timeout=300, check=False)


def test_cli_bad_csv_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nhello,greet\n", encoding="utf-8")
    result = _advisor("intents", "train", "--data", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "intent" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    bad.write_text("text,label\nhello,happy\n", encoding="utf-8")
    result = _advisor("sentiment", "train", "--data", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "positive" in result.stderr


@pytest.mark.slow
def test_cli_evaluate_and_predict_json(trained_intent: tuple[IntentClassifier, Path], tmp_path: Path) -> None:
    _, out = trained_intent
    texts, labels = synthetic(4, seed=5)
    data = tmp_path / "eval.csv"
    data.write_text("text,intent\n" + "".join(f"{t},{lab}\n" for t, lab in zip(texts, labels, strict=True)))
    result = _advisor("intents", "evaluate", "--model", str(out), "--data", str(data), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for key in ("accuracy", "macro_f1", "per_intent", "out_of_scope_recall", "latency_ms_p50"):
        assert key in report
    assert set(report["per_intent"]["buy_insurance"]) == {"precision", "recall", "f1", "support"}
    assert set(report["per_language_accuracy"]) == {"zh", "en"}
    assert 0.0 <= report["in_scope_accuracy"] <= 1.0

    result = _advisor("intents", "predict", "--model", str(out), "insurance please", "天气", "--json")
    assert result.returncode == 0, result.stderr
    predictions = json.loads(result.stdout)["predictions"]
    assert len(predictions) == 2 and predictions[0]["ranked"][0]["intent"] == "buy_insurance"
