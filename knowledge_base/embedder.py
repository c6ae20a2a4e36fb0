"""Sentence embedders: the protocol the retriever uses and the sentence-transformers implementation."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol, cast

import numpy as np

from knowledge_base.errors import KnowledgeBaseError

log = logging.getLogger("advisor.kb.embedder")


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors; tests inject fakes through this protocol."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray: ...

    def coverage(self, text: str) -> float:
        """Share of the text's tokens the encoder's vocabulary knows (1.0 = fully understood)."""
        ...


class SentenceEmbedder:
    """The bundled all-MiniLM-L6-v2 (or any sentence-transformers directory), on CPU."""

    def __init__(self, model_path: str, *, threads: int = 2, batch_size: int = 64, device: str = "cpu") -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        if threads > 0:
            torch.set_num_threads(threads)
        try:
            self._model: Any = SentenceTransformer(model_path, device=device)
        except (OSError, ValueError) as e:
            raise KnowledgeBaseError(f"cannot load the sentence encoder from '{model_path}': {e}") from e
        self.name = model_path
        self.dim = int(cast(int, self._model.get_embedding_dimension()))
        self.batch_size = batch_size
        tokenizer = self._model.tokenizer
        self._unk = tokenizer.unk_token_id
        self._tokenizer = tokenizer
        self._cached = lru_cache(maxsize=4096)(self._encode_one)

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        if len(texts) == 1 and not progress:
            return self._cached(texts[0]).copy()[None, :]
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _encode_one(self, text: str) -> np.ndarray:
        vector = self._model.encode([text], normalize_embeddings=True, convert_to_numpy=True)
        return np.ascontiguousarray(vector[0], dtype=np.float32)

    def coverage(self, text: str) -> float:
        ids = self._tokenizer(text, add_special_tokens=False)["input_ids"]
        if not ids:
            return 0.0
        return 1.0 - sum(1 for i in ids if i == self._unk) / len(ids)
