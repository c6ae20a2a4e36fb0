"""`advisor sentiment train | evaluate | predict`: the message sentiment classifier (issue 7)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import configure_logging, emit_json, settings

sentiment_app = typer.Typer(help="The sentiment classifier: train, evaluate, predict.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="print one JSON object")]


@sentiment_app.command("train")
def train(
    data: Annotated[Path, typer.Option("--data", help="CSV with text,label (positive/neutral/negative)")],
    out: Annotated[Path, typer.Option("--out", help="directory to write the model into")],
    epochs: Annotated[int, typer.Option("--epochs", help="maximum epochs")] = 6,
    as_json: JsonFlag = False,
) -> None:
    """Fine-tunes the sentiment classifier; same artifact layout as the intent classifier."""
    from transformers.utils import logging as hf_logging

    from models.sentiment import SentimentClassifier, read_sentiment

    s = settings()
    configure_logging(s.log_level)
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    frame = read_sentiment(data)
    started = time.perf_counter()
    model = SentimentClassifier(base_model=s.base_encoder, epochs=epochs, threads=s.training_threads).fit(
        frame["text"].tolist(), frame["label"].tolist()
    )
    model.save(out)
    metrics = model.classifier_.metrics_
    result = {
        "out": str(out),
        "examples": len(frame),
        "validation_accuracy": metrics["accuracy"],
        "validation_macro_f1": metrics["macro_f1"],
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    emit_json(result) if as_json else typer.echo(", ".join(f"{k}: {v}" for k, v in result.items()))


@sentiment_app.command("evaluate")
def evaluate(
    model: Annotated[Path, typer.Option("--model", help="directory written by `sentiment train`")],
    data: Annotated[Path, typer.Option("--data", help="CSV with text,label")],
    as_json: JsonFlag = False,
) -> None:
    """Accuracy, macro-F1, per-label scores, per-language accuracy and single-message p50 latency."""
    import numpy as np
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    from models.sentiment import SENTIMENT_LABELS, SentimentClassifier, read_sentiment
    from models.text_classifier import has_cjk

    s = settings()
    configure_logging(s.log_level)
    frame = read_sentiment(data)
    classifier = SentimentClassifier.load(model, threads=s.torch_threads)
    texts, gold = frame["text"].tolist(), np.array(frame["label"].tolist())
    pred = np.array([p.label for p in classifier.predict(texts)])
    labels = list(SENTIMENT_LABELS)
    precision, recall, f1, support = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    zh = np.array([has_cjk(t) for t in texts])
    latencies = []
    for text in texts[:100]:
        started = time.perf_counter()
        classifier.predict([text])
        latencies.append((time.perf_counter() - started) * 1000)
    result = {
        "accuracy": float((pred == gold).mean()),
        "macro_f1": float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
        "per_label": {
            name: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, name in enumerate(labels)
        },
        "per_language_accuracy": {
            lang: float((pred == gold)[mask].mean()) for lang, mask in (("zh", zh), ("en", ~zh)) if mask.any()
        },
        "latency_ms_p50": float(statistics.median(latencies)) if latencies else None,
        "n": len(texts),
    }
    if as_json:
        emit_json(result)
    else:
        typer.echo(f"accuracy: {result['accuracy']}, macro_f1: {result['macro_f1']}")


@sentiment_app.command("predict")
def predict(
    texts: Annotated[list[str], typer.Argument(help="one or more messages")],
    model: Annotated[Path, typer.Option("--model", help="directory written by `sentiment train`")],
    as_json: JsonFlag = False,
) -> None:
    """Sentiment label with calibrated confidence and per-label scores per text."""
    from models.sentiment import SentimentClassifier

    s = settings()
    configure_logging(s.log_level)
    classifier = SentimentClassifier.load(model, threads=s.torch_threads)
    results = [{"text": t, **p.to_dict()} for t, p in zip(texts, classifier.predict(texts), strict=True)]
    if as_json:
        emit_json({"predictions": results})
    else:
        for r in results:
            typer.echo(f"{r['text']}\t{r['label']}\t{r['confidence']:.3f}")
