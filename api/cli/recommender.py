"""`advisor recommender …`, `advisor segments …` and `advisor risk …` (issue 5)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import configure_logging, emit_json, settings

recommender_app = typer.Typer(help="Collaborative-filtering recommender: train, evaluate, split, recommend.")
segments_app = typer.Typer(help="User segments (k-means on profile and behaviour) for targeting and reports.")
risk_app = typer.Typer(help="The risk questionnaire (scored to C1–C5).")

JsonFlag = Annotated[bool, typer.Option("--json", help="print one JSON object")]


@recommender_app.command("evaluate")
def evaluate(
    train: Annotated[Path, typer.Option("--train", help="interactions CSV to train on")],
    test: Annotated[Path, typer.Option("--test", help="interactions CSV held out")],
    k: Annotated[int, typer.Option("--k", help="list length")] = 10,
    algorithm: Annotated[str, typer.Option(help="ease | als | popularity (default from settings)")] = "",
    l2: Annotated[float | None, typer.Option(help="EASE L2 (default from settings)")] = None,
    as_json: JsonFlag = False,
) -> None:
    """One ranked list per test user over all train items the user has not seen; nDCG/recall/precision@k."""
    from models.recommender.cf import make_scorer
    from models.recommender.evaluation import evaluate_scorer
    from store.formats import read_interactions

    s = settings()
    train_frame = read_interactions(train)
    test_frame = read_interactions(test)
    name = algorithm or s.recommender_algorithm
    params: dict[str, float | int | str] = {}
    if name == "ease":
        params = {"l2": l2 if l2 is not None else s.recommender_l2, "weighting": s.recommender_weighting}
    elif name == "als":
        params = {"weighting": s.recommender_weighting}
    make_scorer(name, params)  # validates the name before training

    def fit(matrix):  # type: ignore[no-untyped-def]
        model = make_scorer(name, params).fit(matrix.matrix)
        return lambda rows, users: model.scores(rows)

    metrics = evaluate_scorer(train_frame, test_frame, fit=fit, k=k)
    result = {**metrics.to_dict(), "algorithm": name}
    if as_json:
        emit_json(result)
    else:
        typer.echo(", ".join(f"{key}: {value:.4f}" if isinstance(value, float) else f"{key}: {value}"
                             for key, value in result.items()))  # fmt: skip


@recommender_app.command("split")
def split(
    input_csv: Annotated[Path, typer.Option("--input", help="interactions CSV or MovieLens ratings CSV")],
    train_out: Annotated[Path, typer.Option("--train-out", help="where to write the train CSV")],
    test_out: Annotated[Path, typer.Option("--test-out", help="where to write the test CSV")],
    min_rating: Annotated[float, typer.Option(help="MovieLens: ratings at or above it are positives")] = 4.0,
    test_fraction: Annotated[float, typer.Option(help="share of each user's items held out")] = 0.2,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Per-user random split (fixed seed). MovieLens `userId,movieId,rating,timestamp` is converted to
    `user_id,item_id,weight,timestamp` keeping ratings ≥ --min-rating."""
    import pandas as pd

    from models.recommender.evaluation import split_per_user
    from store.formats import read_csv_strings, read_interactions

    header = input_csv.open(encoding="utf-8-sig").readline()
    if "movieId" in header:
        raw = read_csv_strings(input_csv, required=("userId", "movieId", "rating"))
        rating = pd.to_numeric(raw["rating"], errors="coerce")
        if rating.isna().any():
            row = int(rating.isna().to_numpy().nonzero()[0][0]) + 1
            raise ValueError(f"{input_csv}: row {row}, column rating: not a number")
        keep = rating >= min_rating
        ts = pd.to_numeric(raw.get("timestamp", pd.Series([""] * len(raw))), errors="coerce")
        frame = pd.DataFrame({
            "user_id": raw["userId"][keep].to_numpy(),
            "item_id": raw["movieId"][keep].to_numpy(),
            "weight": 1.0,
            "timestamp": pd.to_datetime(ts[keep], unit="s", utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy(),
        })  # fmt: skip
    else:
        frame = read_interactions(input_csv)
        frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    train_frame, test_frame = split_per_user(frame, test_fraction=test_fraction, seed=seed)
    for path, part in ((train_out, train_frame), (test_out, test_frame)):
        path.parent.mkdir(parents=True, exist_ok=True)
        part.to_csv(path, index=False, columns=["user_id", "item_id", "weight", "timestamp"])
    result = {"positives": len(frame), "train": len(train_frame), "test": len(test_frame),
              "users": int(frame["user_id"].nunique()), "items": int(frame["item_id"].nunique()),
              "train_out": str(train_out), "test_out": str(test_out)}  # fmt: skip
    if as_json:
        emit_json(result)
    else:
        typer.echo(", ".join(f"{k}: {v}" for k, v in result.items()))


@recommender_app.command("train")
def train(
    out: Annotated[Path | None, typer.Option("--out", help="artifact directory (default settings)")] = None,
    no_content: Annotated[bool, typer.Option("--no-content", help="skip content embeddings")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Trains on the interactions stored in the database; a running server picks the new model up."""
    from api.recommending import train_recommender

    s = settings()
    configure_logging(s.log_level)
    started = time.perf_counter()
    summary = train_recommender(s, out=out, use_embedder=not no_content)
    summary["seconds"] = round(time.perf_counter() - started, 2)
    if as_json:
        emit_json(summary)
    else:
        typer.echo(", ".join(f"{k}: {v}" for k, v in summary.items()))


@recommender_app.command("recommend")
def recommend(
    user_id: Annotated[str, typer.Option("--user-id", help="whose recommendations")],
    kind: Annotated[str | None, typer.Option(help="course | insurance | finance | article | faq")] = None,
    k: Annotated[int, typer.Option("--k")] = 5,
    lang: Annotated[str, typer.Option(help="zh | en")] = "en",
    model: Annotated[Path | None, typer.Option("--model", help="artifact directory (default settings)")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Ranked suitable items with reasons for a stored user (their profile applies)."""
    from models.recommender import Recommender, UserContext
    from store import repository
    from store.db import make_engine, make_session_factory, transaction
    from store.errors import NotFoundError

    s = settings()
    rec = Recommender.load(model or s.recommender_dir)
    engine = make_engine(s.database_url)
    try:
        with transaction(make_session_factory(engine)) as session:
            try:
                profile = repository.profile_to_dict(repository.get_profile(session, user_id))
            except NotFoundError:
                profile = {"user_id": user_id}
    finally:
        engine.dispose()
    items = rec.recommend(UserContext.from_profile(profile), kind=kind, k=k, language=lang)
    if as_json:
        emit_json({"user_id": user_id, "items": [i.to_dict() for i in items]})
    else:
        for n, item in enumerate(items, start=1):
            typer.echo(f"{n}. {item.item_id} [{item.kind}] {item.title} — {item.reason}")


@segments_app.command("compute")
def compute(
    k: Annotated[int | None, typer.Option("--k", help="number of segments (default: by silhouette, 3..8)")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Clusters the stored users, writes each profile's segment and the named descriptions."""
    from api.recommending import compute_segments

    s = settings()
    configure_logging(s.log_level)
    result = compute_segments(s, k=k)
    if as_json:
        emit_json(result)
    else:
        typer.echo(f"{result['users']} users in {result['k']} segments (silhouette {result['silhouette']})")
        for seg in result["segments"]:
            typer.echo(f"- {seg['name']} ({seg['size']}): {seg['description_en']} / {seg['description_zh']}")


@segments_app.command("show")
def show(as_json: JsonFlag = False) -> None:
    """The stored segments with their descriptions (zh/en)."""
    from api.recommending import segments_dir
    from models.segments import SegmentModel

    model = SegmentModel.load(segments_dir(settings()))
    segments = [s.to_dict() for s in model.segments_]
    if as_json:
        emit_json({"silhouette": model.silhouette_, "segments": segments})
    else:
        for seg in segments:
            typer.echo(f"- {seg['name']} ({seg['size']}): {seg['description_en']} / {seg['description_zh']}")


@risk_app.command("questions")
def questions(lang: Annotated[str, typer.Option(help="zh | en")] = "en", as_json: JsonFlag = False) -> None:
    """The risk questionnaire in one language."""
    from models.risk import questions as risk_questions

    data = risk_questions(lang)
    if as_json:
        emit_json({"questions": data})
    else:
        for n, q in enumerate(data, start=1):
            typer.echo(f"{n}. {q['text']}")
            for m, o in enumerate(q["options"], start=1):
                typer.echo(f"   {m}) {o['label']}  [{o['value']}]")


@risk_app.command("score")
def score(
    answers: Annotated[list[str], typer.Argument(help="question=option pairs, e.g. horizon=3_5y")],
    as_json: JsonFlag = False,
) -> None:
    """Scores a complete set of answers to C1–C5 (stores nothing)."""
    from models.risk import score as risk_score

    parsed: dict[str, str] = {}
    for pair in answers:
        key, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"'{pair}' is not question=option")
        parsed[key.strip()] = value.strip()
    result = risk_score(parsed)
    payload = {"tolerance": result.tolerance, "score": result.score, "max_score": result.max_score,
               "capped_by": list(result.capped_by)}  # fmt: skip
    if as_json:
        emit_json(payload)
    else:
        typer.echo(f"{result.tolerance} (score {result.score}/{result.max_score})")
