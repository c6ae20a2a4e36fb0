"""User segments: k-means on standardised profile and behaviour features, named for admins (zh/en).

Why k-means: the features are a handful of standardised numbers (age, income, family, risk tolerance,
what kinds of items a person engages with), the groups are meant to be *targetable* (each user in
exactly one segment, segments of comparable size, described by a centre an admin can read), and the
optimizer treats segments as disjoint populations. Density methods (DBSCAN/HDBSCAN) leave many users
as noise and give no centre; a Gaussian mixture adds soft assignments nobody uses here. k is chosen
by silhouette over 3..8 unless fixed. Missing profile values are imputed with the median plus a
"missing" indicator, so a user who never stated their age is not pushed into the middle-aged cluster
silently.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from models.errors import ModelInputError, NotFittedError

KINDS = ("course", "insurance", "finance", "article", "faq")
FEATURES = (
    "age", "age_missing", "log_income", "income_missing", "married", "children", "tolerance",
    "tolerance_missing", "activity", *(f"share_{k}" for k in KINDS),
)  # fmt: skip
CONFIG_FILE = "config.json"
ARRAYS_FILE = "arrays.npz"


def features(profiles: pd.DataFrame, interactions: pd.DataFrame, item_kinds: Mapping[str, str]) -> pd.DataFrame:
    """One row per profile (index user_id) with FEATURES; NaN where a profile value is unknown.

    `profiles` columns: user_id, age, income, family (dict), risk_tolerance; `interactions`:
    user_id, item_id, weight; `item_kinds`: item id → kind.
    """
    if profiles.empty:
        raise ModelInputError("no user profiles to segment; load users first (advisor load users)")
    p = profiles.set_index(profiles["user_id"].astype(str))
    out = pd.DataFrame(index=p.index)
    out["age"] = pd.to_numeric(p["age"], errors="coerce")
    out["age_missing"] = out["age"].isna().astype(float)
    out["log_income"] = np.log1p(pd.to_numeric(p["income"], errors="coerce"))
    out["income_missing"] = out["log_income"].isna().astype(float)
    family = p["family"].apply(lambda f: f if isinstance(f, dict) else {})
    out["married"] = family.apply(lambda f: float(f.get("marital_status") == "married"))
    out["children"] = family.apply(lambda f: float(len(f.get("children") or [])))
    tol = p["risk_tolerance"].map(lambda t: float(str(t)[1]) if isinstance(t, str) and len(t) == 2 else np.nan)
    out["tolerance"] = tol
    out["tolerance_missing"] = tol.isna().astype(float)
    inter = interactions.assign(kind=interactions["item_id"].map(item_kinds)).dropna(subset=["kind"])
    inter = inter[inter["user_id"].isin(out.index)]
    by_kind = inter.pivot_table(index="user_id", columns="kind", values="weight", aggfunc="sum", fill_value=0.0)
    total = by_kind.sum(axis=1)
    out["activity"] = np.log1p(total.reindex(out.index).fillna(0.0))
    for kind in KINDS:
        share = (by_kind[kind] / total) if kind in by_kind else pd.Series(0.0, index=by_kind.index)
        out[f"share_{kind}"] = share.reindex(out.index).fillna(0.0)
    return out[list(FEATURES)]


@dataclass(frozen=True)
class SegmentInfo:
    name: str  # stable key stored in Profile.segment
    size: int
    description_en: str
    description_zh: str
    centre: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "description_en": self.description_en,
                "description_zh": self.description_zh, "centre": self.centre}  # fmt: skip


def _describe(
    centre: Mapping[str, float], medians: Mapping[str, float], means: Mapping[str, float]
) -> tuple[str, str, str, str]:
    """(name, English, Chinese, income key) from a cluster centre in original units; the behaviour focus is
    the item kind the segment over-indexes on against the whole population (courses dominate everywhere)."""
    age = centre["age"]
    if age < 30:
        age_key, age_en, age_zh = "young", "under 30", "30岁以下"
    elif age < 45:
        age_key, age_en, age_zh = "midcareer", "30–44", "30–44岁"
    elif age < 60:
        age_key, age_en, age_zh = "established", "45–59", "45–59岁"
    else:
        age_key, age_en, age_zh = "senior", "60+", "60岁以上"
    if centre["children"] >= 0.5:
        fam_key, fam_en, fam_zh = "parents", "mostly parents", "多为有孩子的家庭"
    elif centre["married"] >= 0.5:
        fam_key, fam_en, fam_zh = "couples", "mostly married, no children", "多为已婚无孩"
    else:
        fam_key, fam_en, fam_zh = "singles", "mostly single", "多为单身"
    shares = {k: centre[f"share_{k}"] / max(means[f"share_{k}"], 1e-9) for k in KINDS}
    focus = max(shares, key=lambda k: shares[k])
    focus_zh = {"course": "课程", "insurance": "保险", "finance": "理财", "article": "文章", "faq": "常见问题"}[focus]
    if centre["activity"] < 0.5:
        focus_key, focus_en, focus_zh_text = "inactive", "little activity yet", "尚无明显行为"
    else:
        focus_key, focus_en, focus_zh_text = (
            focus,
            f"more interested in {focus} than average",
            f"比平均更关注{focus_zh}",
        )
    tol = centre["tolerance"]
    if centre["tolerance_missing"] >= 0.5:
        tol_en, tol_zh = "mostly no risk questionnaire", "多数未做风险测评"
    else:
        tol_en, tol_zh = f"risk tolerance around C{tol:.0f}", f"风险承受能力约 C{tol:.0f}"
    income = float(np.expm1(centre["log_income"]))
    inc_en = (
        "higher income"
        if income > float(np.expm1(medians["log_income"])) * 1.25
        else ("lower income" if income < float(np.expm1(medians["log_income"])) * 0.8 else "median income")
    )
    inc_zh = {"higher income": "收入较高", "lower income": "收入较低", "median income": "收入中等"}[inc_en]
    name = f"{age_key}_{fam_key}_{focus_key}"
    en = f"age {age_en}, {fam_en}, {inc_en}, {tol_en}, {focus_en}"
    zh = f"{age_zh}，{fam_zh}，{inc_zh}，{tol_zh}，{focus_zh_text}"
    income_key = {"higher income": "high_income", "lower income": "low_income", "median income": "mid_income"}[inc_en]
    return name, en, zh, income_key


class SegmentModel:
    """Estimator: `fit(features)` → `predict(features)` → `save` / `load`."""

    def __init__(self, *, k: int | None = None, k_range: Sequence[int] = (3, 4, 5, 6, 7, 8), seed: int = 0) -> None:
        self.k = k
        self.k_range = tuple(k_range)
        self.seed = seed

    def _prepare(self, frame: pd.DataFrame) -> np.ndarray:
        missing = [c for c in FEATURES if c not in frame.columns]
        if missing:
            raise ModelInputError(f"missing feature column(s) {', '.join(missing)}")
        filled = frame[list(FEATURES)].astype(float).fillna(pd.Series(self.medians_))
        return np.asarray((filled.to_numpy() - self.mean_) / self.scale_, dtype=np.float64)

    def fit(self, frame: pd.DataFrame) -> SegmentModel:
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_score

        if len(frame) < 3:
            raise ModelInputError(f"need at least 3 users to segment, got {len(frame)}")
        medians = frame[list(FEATURES)].astype(float).median().fillna(0.0)
        self.medians_ = {c: float(medians[c]) for c in FEATURES}
        filled = frame[list(FEATURES)].astype(float).fillna(medians).to_numpy()
        self.mean_ = filled.mean(axis=0)
        scale = filled.std(axis=0)
        self.scale_ = np.where(scale > 1e-9, scale, 1.0)
        x = (filled - self.mean_) / self.scale_
        candidates = [self.k] if self.k else [k for k in self.k_range if k < len(frame)]
        best: tuple[float, Any] | None = None
        for k in candidates:
            model = KMeans(n_clusters=k, n_init=10, random_state=self.seed).fit(x)
            quality = silhouette_score(x, model.labels_, sample_size=min(len(x), 5000), random_state=self.seed) if (
                len(candidates) > 1) else 0.0  # fmt: skip
            if best is None or quality > best[0]:
                best = (float(quality), model)
        assert best is not None
        self.silhouette_ = best[0]
        self.centers_ = best[1].cluster_centers_
        labels = best[1].labels_
        centres_raw = self.centers_ * self.scale_ + self.mean_
        means = dict(zip(FEATURES, self.mean_, strict=True))
        infos: list[SegmentInfo] = []
        used: dict[str, int] = {}
        for c in range(len(self.centers_)):
            centre = {f: round(float(v), 4) for f, v in zip(FEATURES, centres_raw[c], strict=True)}
            name, en, zh, income_key = _describe(centre, self.medians_, means)
            if name in used or any(
                _describe(dict(zip(FEATURES, centres_raw[o], strict=True)), self.medians_, means)[0] == name
                for o in range(len(self.centers_)) if o != c
            ):  # fmt: skip
                name = f"{name}_{income_key}"
            used[name] = used.get(name, 0) + 1
            if used[name] > 1:
                name = f"{name}_{used[name]}"
            infos.append(SegmentInfo(name, int((labels == c).sum()), en, zh, centre))
        self.segments_ = infos
        return self

    def _check(self) -> None:
        if not hasattr(self, "centers_"):
            raise NotFittedError("the segment model is not fitted; run `advisor segments compute`")

    def predict(self, frame: pd.DataFrame) -> list[str]:
        """Segment name per row of `frame` (nearest centre)."""
        self._check()
        x = self._prepare(frame)
        d = ((x[:, None, :] - self.centers_[None, :, :]) ** 2).sum(axis=2)
        return [self.segments_[int(i)].name for i in d.argmin(axis=1)]

    def save(self, directory: str | Path) -> Path:
        self._check()
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        np.savez(path / ARRAYS_FILE, centers=self.centers_, mean=self.mean_, scale=self.scale_)
        config = {"model": "advisor.segments", "format": 1, "features": list(FEATURES), "medians": self.medians_,
                  "silhouette": self.silhouette_, "k": self.k, "k_range": list(self.k_range), "seed": self.seed,
                  "segments": [s.to_dict() for s in self.segments_]}  # fmt: skip
        (path / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    @classmethod
    def load(cls, directory: str | Path) -> SegmentModel:
        path = Path(directory)
        if not (path / CONFIG_FILE).is_file():
            raise ModelInputError(f"{path} is not a segment model; run `advisor segments compute`")
        config = json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
        model = cls(k=config["k"], k_range=config["k_range"], seed=config["seed"])
        with np.load(path / ARRAYS_FILE, allow_pickle=False) as arrays:
            model.centers_, model.mean_, model.scale_ = arrays["centers"], arrays["mean"], arrays["scale"]
        model.medians_ = {k: float(v) for k, v in config["medians"].items()}
        model.silhouette_ = float(config["silhouette"])
        model.segments_ = [SegmentInfo(**s) for s in config["segments"]]
        return model
