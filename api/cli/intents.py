"""`advisor intents train | evaluate | predict` (CONTRACTS.md)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.common import configure_logging, emit_json, settings

intents_app = typer.Typer(help="The BERT intent classifier: train, evaluate, predict.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="print one JSON object")]
LabelColumn = Annotated[
    str, typer.Option("--label-column", help="the CSV column holding the intent (e.g. `category` for BANKING77)")
]


def _quiet_transformers() -> None:
    """The load report of a fresh classification head is expected; keep stderr for the progress bar."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]


def threshold_overrides() -> dict[str, float]:
    """Thresholds the operator set explicitly (env/.env); otherwise the ones tuned at training apply."""
    s = settings()
    out: dict[str, float] = {}
    if "intent_confidence_threshold" in s.model_fields_set:
        out["confidence_threshold"] = s.intent_confidence_threshold
    if "intent_margin_threshold" in s.model_fields_set:
        out["margin_threshold"] = s.intent_margin_threshold
    return out


def load_intent_classifier(model: Path) -> Any:
    from models.intent import IntentClassifier

    return IntentClassifier.load(model, threads=settings().torch_threads, **threshold_overrides())


@intents_app.command("train")
def train(
    data: Annotated[Path, typer.Option("--data", help="CSV with text,intent")],
    out: Annotated[Path, typer.Option("--out", help="directory to write the model into")],
    epochs: Annotated[
        int | None, typer.Option("--epochs", help="maximum epochs (early stopping may end sooner)")
    ] = None,
    base_model: Annotated[str | None, typer.Option("--base-model", help="local BERT-family directory")] = None,
    learning_rate: Annotated[float, typer.Option("--lr", help="encoder learning rate")] = 1e-4,
    batch_size: Annotated[int, typer.Option("--batch-size")] = 32,
    max_length: Annotated[int, typer.Option("--max-length", help="tokens per text")] = 64,
    seed: Annotated[int, typer.Option("--seed")] = 13,
    label_column: LabelColumn = "intent",
    as_json: JsonFlag = False,
) -> None:
    """Fine-tunes the intent classifier; writes config.json, model.safetensors, tokenizer, metrics.json."""
    from models.intent import IntentClassifier
    from store.formats import read_intents

    s = settings()
    configure_logging(s.log_level)
    _quiet_transformers()
    frame = read_intents(data, label_column=label_column)  # DataFormatError (exit 2) before anything is written
    started = time.perf_counter()
    classifier = IntentClassifier(
        base_model=base_model or s.base_encoder,
        epochs=epochs or s.intent_epochs,
        threads=s.training_threads,
        learning_rate=learning_rate,
        batch_size=batch_size,
        max_length=max_length,
        seed=seed,
    ).fit(frame["text"].tolist(), frame["intent"].tolist())
    classifier.save(out)
    metrics = classifier.classifier_.metrics_
    result = {
        "out": str(out),
        "examples": len(frame),
        "intents": len(classifier.labels_),
        "validation_accuracy": metrics["accuracy"],
        "validation_macro_f1": metrics["macro_f1"],
        "best_epoch": metrics["best_epoch"],
        "temperature": metrics["temperature"],
        "thresholds": metrics.get("thresholds", {}),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    if as_json:
        emit_json(result)
    else:
        typer.echo(", ".join(f"{k}: {v}" for k, v in result.items()))


def evaluate_intents(
    classifier: Any, texts: list[str], gold: list[str], *, latency_samples: int = 100
) -> dict[str, Any]:
    """The CONTRACTS.md evaluation plus in-scope accuracy and per-language accuracy."""
    import numpy as np
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    from models.intent import OUT_OF_SCOPE
    from models.text_classifier import has_cjk

    predictions = classifier.predict(texts)
    top = np.array([p.top for p in predictions])
    decided = np.array([p.intent for p in predictions])  # out_of_scope when the classifier falls back
    gold_arr = np.array(gold)
    oos_gold = gold_arr == OUT_OF_SCOPE
    labels = sorted(set(gold) | set(classifier.labels_))
    precision, recall, f1, support = precision_recall_fscore_support(gold_arr, decided, labels=labels, zero_division=0)
    zh = np.array([has_cjk(t) for t in texts])
    correct = decided == gold_arr
    latencies = []
    for text in texts[: min(latency_samples, len(texts))]:
        started = time.perf_counter()
        classifier.predict([text])
        latencies.append((time.perf_counter() - started) * 1000)
    present = sorted(set(gold))
    return {
        "accuracy": float(correct.mean()),
        "macro_f1": float(f1_score(gold_arr, decided, labels=present, average="macro", zero_division=0)),
        "per_intent": {
            name: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, name in enumerate(labels)
            if support[i] > 0 or name in classifier.labels_
        },
        "out_of_scope_recall": float((decided[oos_gold] == OUT_OF_SCOPE).mean()) if oos_gold.any() else None,
        "in_scope_accuracy": float(correct[~oos_gold].mean()) if (~oos_gold).any() else None,
        "top1_accuracy": float((top == gold_arr).mean()),
        "per_language_accuracy": {
            lang: float(correct[mask].mean()) for lang, mask in (("zh", zh), ("en", ~zh)) if mask.any()
        },
        "latency_ms_p50": float(statistics.median(latencies)) if latencies else None,
        "thresholds": dict(zip(("confidence", "margin"), classifier.thresholds, strict=True)),
        "n": len(texts),
    }


@intents_app.command("evaluate")
def evaluate(
    model: Annotated[Path, typer.Option("--model", help="directory written by `intents train`")],
    data: Annotated[Path, typer.Option("--data", help="CSV with text,intent")],
    label_column: LabelColumn = "intent",
    as_json: JsonFlag = False,
) -> None:
    """Accuracy, macro-F1, per-intent scores, out-of-scope recall, in-scope and per-language accuracy, p50."""
    from store.formats import read_intents

    configure_logging(settings().log_level)
    frame = read_intents(data, label_column=label_column)
    classifier = load_intent_classifier(model)
    result = evaluate_intents(classifier, frame["text"].tolist(), frame["intent"].tolist())
    if as_json:
        emit_json(result)
    else:
        for key in ("accuracy", "macro_f1", "out_of_scope_recall", "in_scope_accuracy", "latency_ms_p50"):
            typer.echo(f"{key}: {result[key]}")
        typer.echo(f"per_language_accuracy: {result['per_language_accuracy']}")


@intents_app.command("predict")
def predict(
    texts: Annotated[list[str], typer.Argument(help="one or more messages")],
    model: Annotated[Path, typer.Option("--model", help="directory written by `intents train`")],
    top_k: Annotated[int, typer.Option("--top-k", help="intents listed per text")] = 5,
    as_json: JsonFlag = False,
) -> None:
    """Ranked intents with calibrated confidences per text, and the out-of-scope decision."""
    configure_logging(settings().log_level)
    classifier = load_intent_classifier(model)
    predictions = classifier.predict(texts, top_k=top_k)
    results = [{"text": text, **p.to_dict()} for text, p in zip(texts, predictions, strict=True)]
    if as_json:
        emit_json({"predictions": results})
    else:
        for r in results:
            ranked = ", ".join(f"{x['intent']} {x['confidence']:.3f}" for x in r["ranked"])
            typer.echo(f"{r['text']}\t{r['intent']}\t{ranked}")
