"""Versioned index directories with an atomic pointer, so no reader ever sees a half-built index.

Layout of an index root `DIR`:  `DIR/versions/<id>/…` (complete indexes) and `DIR/CURRENT` (the id of
the live one). A new build or update is written to a fresh version directory beside the live one and
becomes live by replacing `CURRENT` with `os.replace` (atomic on POSIX and Windows). Old versions are
pruned, keeping the previous one for readers that are still loading it.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from pathlib import Path

from knowledge_base.config import KnowledgeBaseConfig
from knowledge_base.embedder import Embedder
from knowledge_base.errors import KnowledgeBaseInputError
from knowledge_base.retriever import HybridRetriever

log = logging.getLogger("advisor.kb.storage")

POINTER = "CURRENT"
KEEP_VERSIONS = 2


def current_version_dir(root: Path) -> Path:
    """The live version's directory; raises a clear input error when `root` holds no index."""
    pointer = root / POINTER
    if not pointer.is_file():
        raise KnowledgeBaseInputError(f"{root} holds no knowledge-base index; build one with `advisor kb build`")
    directory = root / "versions" / pointer.read_text(encoding="utf-8").strip()
    if not (directory / "manifest.json").is_file():
        raise KnowledgeBaseInputError(f"{root}: the live index {directory.name} is missing; rebuild it")
    return directory


def exists(root: Path) -> bool:
    try:
        current_version_dir(root)
    except KnowledgeBaseInputError:
        return False
    return True


def save(retriever: HybridRetriever, root: Path) -> Path:
    """Writes the retriever into a new version directory, then points `CURRENT` at it atomically."""
    versions = root / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    version = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    staging = versions / f".tmp-{version}"
    retriever.save(staging)
    staging.rename(versions / version)
    tmp_pointer = root / f".{POINTER}.{version}"
    tmp_pointer.write_text(version + "\n", encoding="utf-8")
    os.replace(tmp_pointer, root / POINTER)
    _prune(versions, keep=version)
    log.info("knowledge base %s is live in %s", version, root)
    return versions / version


def _prune(versions: Path, *, keep: str) -> None:
    done = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)
    old = [p for p in done if p.name != keep][: max(0, len(done) - KEEP_VERSIONS)]
    for path in old:
        shutil.rmtree(path, ignore_errors=True)


def load(root: Path, config: KnowledgeBaseConfig, embedder: Embedder) -> HybridRetriever:
    return HybridRetriever.load(current_version_dir(root), config, embedder)
