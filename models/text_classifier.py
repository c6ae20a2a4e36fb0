"""One BERT fine-tuning implementation shared by every text classifier (intent, sentiment).

Why one: the intent and the sentiment classifiers differ only in their labels and in what they do with
the probabilities, so tokenisation (with CJK vocabulary extension), training (stratified validation,
early stopping on macro-F1), calibration (temperature scaling) and the artifact format live here once.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
import platform
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models.errors import ModelInputError, NotFittedError
from models.lexical import LexicalModel, blend, tune_weight

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.safetensors"
METRICS_FILE = "metrics.json"
# Candidate weights of the character n-gram model in the blend (models.lexical), tuned on validation.
LEXICAL_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
MIN_GROUP_VALIDATION = 50  # validation texts a script needs for a weight of its own

# The ranges BERT's basic tokenizer isolates as Chinese characters (CJK ideographs and extensions).
_CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B820, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)
_CJK_PATTERN = "[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _CJK_RANGES) + "]"
_CJK_RE = re.compile(_CJK_PATTERN)


def is_cjk_char(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def has_cjk(text: str) -> bool:
    """True when the text has a Chinese character (mixed text counts as Chinese)."""
    return _CJK_RE.search(text) is not None


def data_fingerprint(texts: Sequence[str], labels: Sequence[str]) -> str:
    """Order-independent SHA-256 of the (text, label) pairs, so an artifact names the data it saw."""
    digest = hashlib.sha256()
    for text, label in sorted(zip(texts, labels, strict=True)):
        digest.update(text.encode("utf-8") + b"\x1f" + label.encode("utf-8") + b"\x1e")
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    import tokenizers
    import torch
    import transformers

    try:
        from importlib.metadata import version

        advisor_version = version("advisor")
    except Exception:  # noqa: BLE001 - not installed (e.g. running from a source tree)
        advisor_version = "unknown"
    return {
        "advisor": advisor_version,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "python": platform.python_version(),
    }


def _set_threads(threads: int) -> None:
    import torch

    if threads > 0 and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def extend_vocabulary(tokenizer: Any, texts: Sequence[str]) -> list[str]:
    """Adds the CJK characters (and unknown punctuation) of `texts` to the tokenizer, one token per character.

    Chinese BERTs tokenise Chinese character by character; the bundled English encoder knows ~240 of
    them, so the rest would all be `[UNK]`. WordPiece vocabularies are extended in place (the characters
    become ordinary vocabulary entries); other tokenizer models get them as added tokens. Returns the new
    tokens in id order.
    """
    from tokenizers import Regex, pre_tokenizers
    from tokenizers.models import WordPiece

    unk = tokenizer.unk_token
    candidates: Counter[str] = Counter()
    for text in texts:
        for char in text:
            if is_cjk_char(char) or unicodedata.category(char).startswith("P"):
                candidates[char] += 1
    backend = tokenizer.backend_tokenizer
    # Make sure CJK characters are split one by one, whatever the normalizer of this model does.
    probe = "保险" if "保" in candidates else None
    if probe is None or len(tokenizer.tokenize(probe)) != 2:
        split = pre_tokenizers.Split(Regex(_CJK_PATTERN), behavior="isolated")
        current = backend.pre_tokenizer
        backend.pre_tokenizer = split if current is None else pre_tokenizers.Sequence([split, current])
    new = sorted(c for c in candidates if tokenizer.tokenize(c) in ([unk], []) and c.strip())
    if not new:
        return []
    model = backend.model
    if isinstance(model, WordPiece):
        vocab = backend.get_vocab()
        for char in new:
            # lower-casing normalizers never change CJK characters, so each is looked up as is
            vocab.setdefault(char, len(vocab))
        backend.model = WordPiece(
            vocab=vocab,
            unk_token=model.unk_token,
            max_input_chars_per_word=model.max_input_chars_per_word,
            continuing_subword_prefix=model.continuing_subword_prefix,
        )
    else:
        tokenizer.add_tokens(new)
    return new


def _build_module(encoder: Any, num_labels: int, dropout: float) -> Any:
    """Encoder + mean pooling + linear head.

    Why mean pooling rather than BERT's [CLS] pooler: sentence-transformers encoders (the bundled one)
    were trained with mean pooling, so their pooled output is already a good sentence feature and
    fine-tuning converges in a few epochs, which matters on a 2-core CPU.
    """
    import torch

    class PooledClassifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(dropout)
            self.head = torch.nn.Linear(encoder.config.hidden_size, num_labels)

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(self.dropout(pooled))  # type: ignore[no-any-return]

    return PooledClassifier()


class TextClassifier:
    """Fine-tunes a local BERT-family model to classify short texts; calibrated probabilities.

    Estimator contract: `__init__` stores hyperparameters only, `fit` returns self, fitted state ends in
    `_`, `predict*` raise `NotFittedError` before `fit`/`load`, `save`/`load` round-trip exactly.
    """

    def __init__(
        self,
        *,
        base_model: str,
        epochs: int = 8,
        batch_size: int = 32,
        learning_rate: float = 1e-4,
        embedding_learning_rate: float | None = 5e-4,
        head_learning_rate: float = 2e-3,
        dropout: float = 0.1,
        weight_decay: float = 0.01,
        warmup_ratio: float = 0.06,
        max_length: int = 64,
        validation_fraction: float = 0.1,
        patience: int = 3,
        seed: int = 13,
        threads: int = 2,
        inference_batch_size: int = 64,
        extend_vocab: bool = True,
        gloss_init: bool = True,
        lexical: bool = True,
        progress: bool = True,
        kind: str = "text",
    ) -> None:
        self.base_model = base_model
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.embedding_learning_rate = embedding_learning_rate
        self.head_learning_rate = head_learning_rate
        self.dropout = dropout
        self.weight_decay = weight_decay
        self.warmup_ratio = warmup_ratio
        self.max_length = max_length
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.seed = seed
        self.threads = threads
        self.inference_batch_size = inference_batch_size
        self.extend_vocab = extend_vocab
        self.gloss_init = gloss_init
        self.lexical = lexical
        self.progress = progress
        self.kind = kind

    # ------------------------------------------------------------------------------------------
    # hyperparameters

    _HYPERPARAMETERS = (
        "base_model",
        "epochs",
        "batch_size",
        "learning_rate",
        "embedding_learning_rate",
        "head_learning_rate",
        "dropout",
        "weight_decay",
        "warmup_ratio",
        "max_length",
        "validation_fraction",
        "patience",
        "seed",
        "threads",
        "inference_batch_size",
        "extend_vocab",
        "gloss_init",
        "lexical",
        "kind",
    )

    def get_params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._HYPERPARAMETERS}

    # ------------------------------------------------------------------------------------------
    # training

    def _check_inputs(self, texts: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str]]:
        texts = [str(t) for t in texts]
        labels = [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ModelInputError(f"got {len(texts)} texts but {len(labels)} labels; they must pair up")
        if not texts:
            raise ModelInputError("no training examples; give at least two labels with examples each")
        if len(set(labels)) < 2:
            raise ModelInputError(f"need at least two different labels to train, got {sorted(set(labels))}")
        if self.epochs < 1 or self.batch_size < 1 or self.max_length < 8:
            raise ModelInputError("epochs and batch_size must be ≥ 1 and max_length ≥ 8")
        if not 0.0 < self.validation_fraction < 0.5:
            raise ModelInputError(f"validation_fraction must be in (0, 0.5), got {self.validation_fraction}")
        return texts, labels

    def _split(self, texts: list[str], labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Stratified train/validation indices; labels with a single example stay in training."""
        from sklearn.model_selection import train_test_split

        counts = Counter(labels)
        index = np.arange(len(texts))
        splittable = np.array([counts[label] >= 2 for label in labels])
        pool = index[splittable]
        pool_labels = [labels[i] for i in pool]
        n_classes = len(set(pool_labels))
        size = max(round(self.validation_fraction * len(pool)), n_classes)
        if n_classes < 2 or size >= len(pool) - n_classes:
            raise ModelInputError(
                "too few examples for a validation split: give every label at least 2 examples "
                f"(got {len(texts)} examples over {len(counts)} labels)"
            )
        train_idx, val_idx = train_test_split(
            pool, test_size=size, stratify=pool_labels, random_state=self.seed, shuffle=True
        )
        train_idx = np.concatenate([train_idx, index[~splittable]])
        return np.sort(train_idx), np.sort(val_idx)

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        validation: tuple[Sequence[str], Sequence[str]] | None = None,
    ) -> TextClassifier:
        """Fine-tunes on (texts, labels); validation is a stratified split unless given explicitly."""
        import torch
        from tqdm.auto import tqdm
        from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup

        texts, labels = self._check_inputs(texts, labels)
        _set_threads(self.threads)
        torch.manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)

        if validation is None:
            train_idx, val_idx = self._split(texts, labels)
            train_texts, train_labels = [texts[i] for i in train_idx], [labels[i] for i in train_idx]
            val_texts, val_labels = [texts[i] for i in val_idx], [labels[i] for i in val_idx]
        else:
            train_texts, train_labels = texts, labels
            val_texts, val_labels = self._check_inputs(*validation)
        label_names = sorted(set(labels) | set(val_labels))
        label_to_id = {name: i for i, name in enumerate(label_names)}

        try:
            tokenizer = AutoTokenizer.from_pretrained(self.base_model, local_files_only=True)
            encoder = AutoModel.from_pretrained(self.base_model, local_files_only=True)
        except (OSError, ValueError) as e:
            raise ModelInputError(
                f"cannot load a BERT-family model from {self.base_model!r}: {e}".splitlines()[0]
            ) from e
        added: list[str] = extend_vocabulary(tokenizer, train_texts) if self.extend_vocab else []
        if added:
            # new rows are drawn around the mean/covariance of the existing embeddings (mean resizing)
            encoder.resize_token_embeddings(len(tokenizer), mean_resizing=True)
            if self.gloss_init:
                self._init_from_glosses(tokenizer, encoder, added, train_texts)
            log.info("added %d characters to the vocabulary (now %d tokens)", len(added), len(tokenizer))
        model = _build_module(encoder, len(label_names), self.dropout)

        y_train = np.array([label_to_id[label] for label in train_labels])
        y_val = np.array([label_to_id[label] for label in val_labels])
        self.labels_ = label_names
        self.tokenizer_ = tokenizer
        self.model_ = model
        self.temperature_ = 1.0

        embeddings = encoder.get_input_embeddings().weight
        head = set(map(id, model.head.parameters()))
        body = [(n, p) for n, p in model.named_parameters() if p is not embeddings and id(p) not in head]
        no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight")
        groups: list[dict[str, Any]] = [
            {"params": [p for n, p in body if not any(k in n for k in no_decay)], "weight_decay": self.weight_decay},
            {"params": [p for n, p in body if any(k in n for k in no_decay)], "weight_decay": 0.0},
            {"params": [embeddings], "weight_decay": 0.0, "lr": self.embedding_learning_rate or self.learning_rate},
            {"params": list(model.head.parameters()), "weight_decay": 0.0, "lr": self.head_learning_rate},
        ]
        optimizer = torch.optim.AdamW(groups, lr=self.learning_rate)
        train_ids = self._token_ids(train_texts)
        steps_per_epoch = math.ceil(len(train_texts) / self.batch_size)
        total_steps = steps_per_epoch * self.epochs
        scheduler = get_linear_schedule_with_warmup(  # type: ignore[no-untyped-call]
            optimizer, int(self.warmup_ratio * total_steps), total_steps
        )
        loss_fn = torch.nn.CrossEntropyLoss()

        best_f1, best_state, best_epoch, stale = -1.0, None, 0, 0
        history: list[dict[str, float]] = []
        bar = tqdm(total=total_steps, disable=not self.progress, desc=f"training {self.kind} classifier", unit="step")
        for epoch in range(1, self.epochs + 1):
            model.train()
            running = 0.0
            batches = _length_bucketed_batches(train_ids, self.batch_size, rng)
            for step, batch in enumerate(batches, start=1):
                input_ids, attention_mask = self._collate([train_ids[i] for i in batch])
                loss = loss_fn(model(input_ids, attention_mask), torch.as_tensor(y_train[batch]))
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
                running += float(loss.detach())
                bar.update(1)
                bar.set_postfix(epoch=f"{epoch}/{self.epochs}", loss=f"{running / step:.4f}", best_f1=f"{best_f1:.3f}")
            val_logits = self._logits(val_texts)
            f1 = _macro_f1(y_val, val_logits.argmax(1), len(label_names))
            history.append({"epoch": epoch, "loss": running / len(batches), "val_macro_f1": f1})
            log.info("epoch %d: loss %.4f, validation macro-F1 %.4f", epoch, running / len(batches), f1)
            if f1 > best_f1 + 1e-6:
                best_f1, best_epoch, stale = f1, epoch, 0
                best_state = copy.deepcopy(model.state_dict())
            else:
                stale += 1
                if stale >= self.patience:
                    log.info("early stop after epoch %d (best epoch %d, macro-F1 %.4f)", epoch, best_epoch, best_f1)
                    break
        bar.close()
        if best_state is not None:
            model.load_state_dict(best_state)
        model.eval()

        val_logits = self._logits(val_texts)
        bert_f1 = _macro_f1(y_val, val_logits.argmax(1), len(label_names))
        self.lexical_, self.lexical_weights_ = None, {"zh": 0.0, "other": 0.0}
        if self.lexical:
            lexical = LexicalModel().fit(train_texts, y_train, len(label_names))
            val_lexical = lexical.log_proba(val_texts)
            # One weight per script: the encoder's Chinese is learnt from the training data alone, so
            # character n-grams help Chinese more than English (tuned separately when both have data).
            zh = np.array([has_cjk(t) for t in val_texts])
            overall, _ = tune_weight(val_logits, val_lexical, y_val, LEXICAL_WEIGHTS)
            for group, rows in (("zh", zh), ("other", ~zh)):
                enough = rows.sum() >= MIN_GROUP_VALIDATION
                self.lexical_weights_[group] = (
                    tune_weight(val_logits[rows], val_lexical[rows], y_val[rows], LEXICAL_WEIGHTS)[0]
                    if enough
                    else overall
                )
            if any(w > 0 for w in self.lexical_weights_.values()):
                self.lexical_ = lexical
        val_scores = self._blend(val_texts, val_logits)
        self.temperature_ = fit_temperature(val_scores, y_val)
        self.fingerprint_ = data_fingerprint(texts, labels)
        self.n_train_ = len(train_texts)
        self.n_validation_ = len(val_texts)
        self.added_tokens_ = len(added)
        self.best_epoch_ = best_epoch
        self.history_ = history
        self.thresholds_: dict[str, float] = {}
        self.validation_ = (val_texts, val_labels, softmax(val_scores / self.temperature_))
        self.metrics_ = validation_metrics(y_val, val_scores.argmax(1), label_names)
        self.metrics_["bert_only_macro_f1"] = bert_f1
        self.metrics_["lexical_weights"] = self.lexical_weights_
        self.metrics_["temperature"] = self.temperature_
        self.metrics_["best_epoch"] = best_epoch
        self.metrics_["history"] = history
        return self

    @staticmethod
    def _init_from_glosses(tokenizer: Any, encoder: Any, added: Sequence[str], texts: Sequence[str]) -> None:
        """Starts added CJK characters at the embedding of their English dictionary glosses (models.cjk_init)."""
        import torch

        from models.cjk_init import gloss_embedding_rows, glosses_for

        weight = encoder.get_input_embeddings().weight
        n_old = len(tokenizer) - len(added)
        rows = gloss_embedding_rows(tokenizer, weight[:n_old].detach().numpy(), glosses_for(added, texts))
        ids = tokenizer.convert_tokens_to_ids(list(rows))
        with torch.no_grad():
            for char_id, vector in zip(ids, rows.values(), strict=True):
                weight[char_id] = torch.from_numpy(vector).to(weight.dtype)
        log.info("initialised %d of %d added characters from dictionary glosses", len(rows), len(added))

    # ------------------------------------------------------------------------------------------
    # inference

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise NotFittedError(f"this {self.kind} classifier is not trained: call fit() or load() first")

    def _token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        encoded = self.tokenizer_(list(texts), truncation=True, max_length=self.max_length)
        return [list(ids) for ids in encoded["input_ids"]]

    def _collate(self, rows: Sequence[Sequence[int]]) -> tuple[Any, Any]:
        """Dynamic padding: pads to the longest row of this batch only."""
        import torch

        width = max(len(r) for r in rows)
        pad = self.tokenizer_.pad_token_id or 0
        ids = np.full((len(rows), width), pad, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        return torch.from_numpy(ids), torch.from_numpy(mask)

    def _logits(self, texts: Sequence[str]) -> np.ndarray:
        """Raw logits in input order; batches are length-sorted so padding stays short."""
        import torch

        model = self.model_
        was_training = model.training
        model.eval()
        out = np.zeros((len(texts), len(self.labels_)), dtype=np.float32)
        token_ids = self._token_ids(texts)
        order = sorted(range(len(texts)), key=lambda i: len(token_ids[i]))
        with torch.inference_mode():
            for chunk in _chunks(order, self.inference_batch_size):
                input_ids, attention_mask = self._collate([token_ids[i] for i in chunk])
                out[chunk] = model(input_ids, attention_mask).float().numpy()
        if was_training:
            model.train()
        return out

    def _blend(self, texts: Sequence[str], logits: np.ndarray) -> np.ndarray:
        """The encoder's logits blended with the character n-gram model when training kept it (weight > 0)."""
        if self.lexical_ is None:
            return blend(logits, None, 0.0)
        weights = np.array(
            [self.lexical_weights_["zh" if has_cjk(t) else "other"] for t in texts], dtype=np.float32
        )[:, None]
        return blend(logits, self.lexical_.log_proba(texts), weights)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities (temperature-scaled softmax), one row per text, columns `labels_`."""
        self._check_fitted()
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, len(self.labels_)), dtype=np.float32)
        _set_threads(self.threads)
        return softmax(self._blend(texts, self._logits(texts)) / self.temperature_)

    def predict(self, texts: Sequence[str]) -> list[str]:
        probs = self.predict_proba(texts)
        return [self.labels_[i] for i in probs.argmax(1)]

    # ------------------------------------------------------------------------------------------
    # persistence

    def save(self, directory: str | Path, *, extra: dict[str, Any] | None = None) -> Path:
        """Writes config.json, model.safetensors, the tokenizer files and metrics.json into `directory`."""
        from safetensors.torch import save_model

        self._check_fitted()
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        save_model(self.model_, str(path / WEIGHTS_FILE))
        if self.lexical_ is not None:
            self.lexical_.save(path)
        self.tokenizer_.save_pretrained(str(path))
        config = {
            "format_version": FORMAT_VERSION,
            "kind": self.kind,
            "labels": self.labels_,
            "hyperparameters": self.get_params(),
            "temperature": self.temperature_,
            "lexical_weights": self.lexical_weights_,
            "thresholds": self.thresholds_,
            "versions": _versions(),
            "data_fingerprint": self.fingerprint_,
            "n_train": self.n_train_,
            "n_validation": self.n_validation_,
            "added_tokens": self.added_tokens_,
            "best_epoch": self.best_epoch_,
            "encoder_config": self.model_.encoder.config.to_dict(),
            **(extra or {}),
        }
        (path / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
        (path / METRICS_FILE).write_text(json.dumps(self.metrics_, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    @staticmethod
    def read_config(directory: str | Path) -> dict[str, Any]:
        path = Path(directory) / CONFIG_FILE
        if not path.is_file():
            raise ModelInputError(f"{directory} is not a trained classifier directory: {CONFIG_FILE} is missing")
        config: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return config

    @classmethod
    def load(cls, directory: str | Path, *, threads: int | None = None, kind: str | None = None) -> TextClassifier:
        """Restores a classifier written by `save` (no network, no pickle)."""
        from safetensors.torch import load_model
        from transformers import AutoConfig, AutoModel, AutoTokenizer

        path = Path(directory)
        config = cls.read_config(path)
        if kind is not None and config.get("kind") != kind:
            raise ModelInputError(f"{directory} holds a {config.get('kind')!r} classifier, not a {kind!r} one")
        params = dict(config["hyperparameters"])
        if threads is not None:
            params["threads"] = threads
        params = {k: v for k, v in params.items() if k in cls._HYPERPARAMETERS}
        self = cls(**params, progress=False)
        encoder_config = dict(config["encoder_config"])
        model_type = encoder_config.pop("model_type")
        model_config = AutoConfig.for_model(model_type, **encoder_config)
        labels = list(config["labels"])
        encoder = AutoModel.from_config(model_config)  # type: ignore[no-untyped-call]
        model = _build_module(encoder, len(labels), float(params.get("dropout", 0.1)))
        load_model(model, str(path / WEIGHTS_FILE))
        model.eval()
        self.model_ = model
        self.tokenizer_ = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.labels_ = labels
        self.temperature_ = float(config["temperature"])
        self.lexical_weights_ = {k: float(v) for k, v in config.get("lexical_weights", {}).items()}
        self.lexical_weights_ = {"zh": 0.0, "other": 0.0, **self.lexical_weights_}
        used = any(w > 0 for w in self.lexical_weights_.values())
        self.lexical_ = LexicalModel.load(path) if used else None
        if used and self.lexical_ is None:
            raise ModelInputError(f"{directory} names a lexical blend but lexical.npz is missing")
        self.thresholds_ = {k: float(v) for k, v in config.get("thresholds", {}).items()}
        self.fingerprint_ = config["data_fingerprint"]
        self.n_train_ = int(config["n_train"])
        self.n_validation_ = int(config["n_validation"])
        self.added_tokens_ = int(config["added_tokens"])
        self.best_epoch_ = int(config["best_epoch"])
        metrics_path = path / METRICS_FILE
        self.metrics_ = json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.is_file() else {}
        self.history_ = list(self.metrics_.get("history", []))
        return self


# ----------------------------------------------------------------------------------------------
# helpers


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _length_bucketed_batches(
    token_ids: Sequence[Sequence[int]], batch_size: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """Random batches of similar-length texts (less padding), in random order ("sortish" sampling)."""
    order = rng.permutation(len(token_ids))
    pool = batch_size * 50
    batches: list[np.ndarray] = []
    for start in range(0, len(order), pool):
        chunk = order[start : start + pool]
        chunk = chunk[np.argsort([len(token_ids[i]) for i in chunk], kind="stable")]
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)  # type: ignore[arg-type,unused-ignore]
    return batches


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probs: np.ndarray = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
    return probs


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising validation negative log-likelihood (Guo et al. 2017)."""
    from scipy.optimize import minimize_scalar
    from scipy.special import log_softmax

    if len(y) == 0:
        return 1.0
    logits64 = logits.astype(np.float64)

    def nll(log_t: float) -> float:
        return float(-log_softmax(logits64 / math.exp(log_t), axis=1)[np.arange(len(y)), y].mean())

    result = minimize_scalar(nll, bounds=(math.log(0.05), math.log(20.0)), method="bounded")
    return float(math.exp(result.x))


def _macro_f1(y_true: np.ndarray, y_pred: np.ndarray, n_labels: int) -> float:
    from sklearn.metrics import f1_score

    present = sorted(set(y_true.tolist()))
    return float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0))


def validation_metrics(y_true: np.ndarray, y_pred: np.ndarray, label_names: Sequence[str]) -> dict[str, Any]:
    """Per-label precision/recall/F1/support and the confusion matrix (rows true, columns predicted)."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    ids = list(range(len(label_names)))
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, labels=ids, zero_division=0)
    return {
        "split": "validation",
        "n": int(len(y_true)),
        "accuracy": float((y_true == y_pred).mean()) if len(y_true) else 0.0,
        "macro_f1": _macro_f1(y_true, y_pred, len(label_names)),
        "per_label": {
            name: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i, name in enumerate(label_names)
        },
        "confusion_matrix": {
            "labels": list(label_names),
            "matrix": confusion_matrix(y_true, y_pred, labels=ids).tolist(),
        },
    }
