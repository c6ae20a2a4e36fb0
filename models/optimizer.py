"""Budget and resource allocation as a linear program (CONTRACTS.md, "Optimizer scenario"), solved by HiGHS.

Variables: one per (channel, segment, offer) triple that has a rate and is suitable, or, for a triple with
`tiers`, one per tier, bounded by the tier's width. Because tier rates must not increase, the sum over
tiers is the concave piecewise-linear conversion curve and the LP fills the better tiers first whenever it
matters to the objective. (When an offer's `max_conversions` binds, the LP may be indifferent between
tiers; the reported conversions then stay a valid lower bound of the curve.) The matrix is built with
numpy index arrays into one `scipy.sparse` CSR matrix: no Python loop per variable.

Shadow prices are HiGHS's dual values (`res.ineqlin.marginals`) turned into "objective gained per unit
more of this constraint's right-hand side": positive for a binding budget, negative for a binding
`spend_min` (raising the minimum costs objective).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from scipy import sparse

from models.errors import ModelError, ModelInputError

log = logging.getLogger(__name__)

RISK_LEVELS = ("R1", "R2", "R3", "R4", "R5")
TOLERANCES = ("C1", "C2", "C3", "C4", "C5")
BINDING_TOL = 1e-7


class ScenarioError(ModelInputError):
    """A scenario that does not validate; the message starts with the JSON path of the first problem."""


class SolverError(ModelError):
    """HiGHS failed for a reason that is not the scenario's fault."""


# ----------------------------------------------------------------------------------------------
# Scenario (pydantic: validation errors carry the JSON path)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tier(_Strict):
    up_to: float | None = Field(default=None, gt=0, description="cumulative contacts; null = no limit")
    rate: float = Field(ge=0, le=1)


class Channel(_Strict):
    name: str = Field(min_length=1)
    cost_per_contact: float = Field(ge=0)
    capacity: float | None = Field(default=None, ge=0)
    usage: dict[str, float] = Field(default_factory=dict)
    min_spend: float = Field(default=0, ge=0)
    max_spend: float | None = Field(default=None, ge=0)

    @field_validator("usage")
    @classmethod
    def _usage_non_negative(cls, value: dict[str, float]) -> dict[str, float]:
        for key, amount in value.items():
            if amount < 0:
                raise ValueError(f"usage of '{key}' must be ≥ 0, got {amount}")
        return value


class Segment(_Strict):
    name: str = Field(min_length=1)
    size: float = Field(ge=0)
    tolerance: Literal["C1", "C2", "C3", "C4", "C5"] | None = None


class Offer(_Strict):
    name: str = Field(min_length=1)
    value: float = Field(ge=0)
    risk_level: Literal["R1", "R2", "R3", "R4", "R5"] | None = None
    max_conversions: float | None = Field(default=None, ge=0)


class Rate(_Strict):
    channel: str
    segment: str
    offer: str
    rate: float | None = Field(default=None, ge=0, le=1)
    tiers: list[Tier] | None = None


class Scenario(_Strict):
    objective: Literal["revenue", "conversions"] = "revenue"
    budget: float = Field(ge=0)
    resources: dict[str, float] = Field(default_factory=dict)
    channels: list[Channel] = Field(min_length=1)
    segments: list[Segment] = Field(min_length=1)
    offers: list[Offer] = Field(min_length=1)
    rates: list[Rate] = Field(min_length=1)

    @field_validator("resources")
    @classmethod
    def _resources_non_negative(cls, value: dict[str, float]) -> dict[str, float]:
        for key, amount in value.items():
            if amount < 0:
                raise ValueError(f"resource '{key}' limit must be ≥ 0, got {amount}")
        return value


def _path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "scenario"


def parse_scenario(data: str | bytes | dict[str, Any] | Scenario) -> Scenario:
    """Validates a scenario (JSON text or a dict) including names, suitability codes and tiers."""
    if isinstance(data, Scenario):
        scenario = data
    else:
        try:
            if isinstance(data, str | bytes):
                scenario = Scenario.model_validate_json(data)
            else:
                scenario = Scenario.model_validate(data)
        except ValidationError as e:
            err = e.errors()[0]
            message = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "json_invalid":
                raise ScenarioError(f"scenario is not valid JSON: {err.get('ctx', {}).get('error', message)}") from e
            more = f" (and {e.error_count() - 1} more problems)" if e.error_count() > 1 else ""
            raise ScenarioError(f"{_path(err['loc'])}: {message}{more}") from e
    _check_references(scenario)
    return scenario


def _unique(names: list[str], where: str) -> None:
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            raise ScenarioError(f"{where}[{i}].name: duplicate name '{name}'")
        seen.add(name)


def _check_references(s: Scenario) -> None:
    _unique([c.name for c in s.channels], "channels")
    _unique([g.name for g in s.segments], "segments")
    _unique([o.name for o in s.offers], "offers")
    for i, channel in enumerate(s.channels):
        for resource in channel.usage:
            if resource not in s.resources:
                raise ScenarioError(
                    f"channels[{i}].usage.{resource}: unknown resource; valid: {', '.join(s.resources) or 'none'}"
                )
    for field, names in (
        ("channel", [c.name for c in s.channels]),
        ("segment", [g.name for g in s.segments]),
        ("offer", [o.name for o in s.offers]),
    ):
        values = pd.Index(names).get_indexer(pd.Index([getattr(r, field) for r in s.rates]))
        bad = np.flatnonzero(values < 0)
        if bad.size:
            i = int(bad[0])
            shown = ", ".join(names[:20]) + (" …" if len(names) > 20 else "")
            raise ScenarioError(f"rates[{i}].{field}: unknown {field} '{getattr(s.rates[i], field)}'; valid: {shown}")
    keys = pd.Series([f"{r.channel}\x1f{r.segment}\x1f{r.offer}" for r in s.rates])
    dup = np.flatnonzero(keys.duplicated().to_numpy())
    if dup.size:
        i = int(dup[0])
        raise ScenarioError(f"rates[{i}]: duplicate triple ({s.rates[i].channel}, {s.rates[i].segment}, "
                            f"{s.rates[i].offer})")  # fmt: skip
    for i, r in enumerate(s.rates):
        if r.tiers is None:
            if r.rate is None:
                raise ScenarioError(f"rates[{i}]: give either 'rate' or 'tiers'")
            continue
        if not r.tiers:
            raise ScenarioError(f"rates[{i}].tiers: must not be empty")
        previous_up_to = 0.0
        for k, tier in enumerate(r.tiers):
            last = k == len(r.tiers) - 1
            if tier.up_to is None and not last:
                raise ScenarioError(f"rates[{i}].tiers[{k}].up_to: only the last tier may be open (null)")
            if tier.up_to is not None and tier.up_to <= previous_up_to:
                raise ScenarioError(
                    f"rates[{i}].tiers[{k}].up_to: must be greater than the previous tier's ({previous_up_to:g})"
                )
            if k and tier.rate > r.tiers[k - 1].rate:
                raise ScenarioError(
                    f"rates[{i}].tiers[{k}].rate: tier rates must not increase ({tier.rate:g} > "
                    f"{r.tiers[k - 1].rate:g}); a convex curve is not a linear program"
                )
            previous_up_to = tier.up_to or previous_up_to


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"scenario file not found: {path}")
    try:
        return parse_scenario(path.read_bytes())
    except ScenarioError as e:
        raise ScenarioError(f"{path}: {e}") from e


# ----------------------------------------------------------------------------------------------
# The linear program


@dataclass
class LinearProgram:
    """maximize c·y subject to A y ≤ b, 0 ≤ y ≤ upper; rows named as in CONTRACTS.md."""

    c: np.ndarray  # objective coefficients per variable (to maximise)
    A: sparse.csr_matrix
    b: np.ndarray
    upper: np.ndarray
    row_names: list[str]
    row_sign: np.ndarray  # +1 for ≤ rows, −1 for ≥ rows written as −a·y ≤ −rhs
    var_triple: np.ndarray  # variable → index of its triple (row of `triples`)
    var_rate: np.ndarray  # conversions per contact of each variable
    triples: pd.DataFrame  # channel, segment, offer (indices and names), cost, value
    excluded: list[dict[str, Any]]
    budget_row: int


def _suitability(s: Scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per rate: (channel index, segment index, offer index, suitable?)."""
    ch = pd.Index([c.name for c in s.channels]).get_indexer([r.channel for r in s.rates])
    sg = pd.Index([g.name for g in s.segments]).get_indexer([r.segment for r in s.rates])
    of = pd.Index([o.name for o in s.offers]).get_indexer([r.offer for r in s.rates])
    risk = np.array([0 if o.risk_level is None else int(o.risk_level[1]) for o in s.offers])[of]
    tol = np.array([5 if g.tolerance is None else int(g.tolerance[1]) for g in s.segments])[sg]
    # Offers without a risk level are always allowed; a segment without a tolerance accepts everything.
    return ch, sg, of, risk <= tol


def build_program(s: Scenario, *, budget: float | None = None) -> LinearProgram:
    """The sparse LP of a validated scenario (optionally with another budget)."""
    ch_all, sg_all, of_all, ok = _suitability(s)
    excluded = [
        {"channel": s.rates[i].channel, "segment": s.rates[i].segment, "offer": s.rates[i].offer,
         "reason": f"offer risk {s.offers[of_all[i]].risk_level} above segment tolerance "
                   f"{s.segments[sg_all[i]].tolerance}"}
        for i in np.flatnonzero(~ok)
    ]  # fmt: skip
    keep = np.flatnonzero(ok)
    ch, sg, of = ch_all[keep], sg_all[keep], of_all[keep]
    n_triples = len(keep)

    # Tiers → variables: triple t has n_tiers[t] variables with (width, rate).
    tier_counts = np.array([len(s.rates[i].tiers or ()) or 1 for i in keep], dtype=np.int64)
    widths_list: list[float] = []
    rates_list: list[float] = []
    for i in keep:
        rate = s.rates[i]
        if rate.tiers is None:
            widths_list.append(np.inf)
            rates_list.append(float(rate.rate or 0.0))
        else:
            previous = 0.0
            for tier in rate.tiers:
                widths_list.append(np.inf if tier.up_to is None else tier.up_to - previous)
                rates_list.append(tier.rate)
                previous = tier.up_to or previous
    var_triple = np.repeat(np.arange(n_triples), tier_counts)
    var_rate = np.asarray(rates_list, dtype=float)
    upper = np.asarray(widths_list, dtype=float)
    n_vars = len(var_triple)

    cost = np.array([c.cost_per_contact for c in s.channels])[ch]
    value = np.array([o.value if s.objective == "revenue" else 1.0 for o in s.offers])[of]
    obj = value[var_triple] * var_rate
    var_ch, var_sg, var_of = ch[var_triple], sg[var_triple], of[var_triple]
    var_cost = cost[var_triple]
    cols = np.arange(n_vars)

    rows: list[np.ndarray] = []
    colidx: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    rhs: list[float] = []
    names: list[str] = []
    signs: list[float] = []

    def add_block(row_of_var: np.ndarray, coef: np.ndarray, rhs_values: Sequence[float], row_names: Sequence[str],
                  sign: float = 1.0) -> None:  # fmt: skip
        """Rows given per variable (−1 = not in any row of this block)."""
        base = len(rhs)
        mask = row_of_var >= 0
        rows.append(base + row_of_var[mask])
        colidx.append(cols[mask])
        vals.append(sign * coef[mask])
        rhs.extend(sign * float(v) for v in rhs_values)
        names.extend(row_names)
        signs.extend([sign] * len(row_names))

    spend = budget if budget is not None else s.budget
    budget_row = len(rhs)
    add_block(np.zeros(n_vars, dtype=np.int64), var_cost, [spend], ["budget"])
    for name, limit in s.resources.items():
        use = np.array([c.usage.get(name, 0.0) for c in s.channels])[var_ch]
        add_block(np.where(use > 0, 0, -1), use, [limit], [f"resource:{name}"])
    cap = [(j, c) for j, c in enumerate(s.channels) if c.capacity is not None]
    if cap:
        row = np.full(len(s.channels), -1)
        row[[j for j, _ in cap]] = np.arange(len(cap))
        add_block(row[var_ch], np.ones(n_vars), [c.capacity or 0.0 for _, c in cap],
                  [f"capacity:{c.name}" for _, c in cap])  # fmt: skip
    smin = [(j, c) for j, c in enumerate(s.channels) if c.min_spend > 0]
    if smin:
        row = np.full(len(s.channels), -1)
        row[[j for j, _ in smin]] = np.arange(len(smin))
        add_block(row[var_ch], var_cost, [c.min_spend for _, c in smin], [f"spend_min:{c.name}" for _, c in smin],
                  sign=-1.0)  # fmt: skip
    smax = [(j, c) for j, c in enumerate(s.channels) if c.max_spend is not None]
    if smax:
        row = np.full(len(s.channels), -1)
        row[[j for j, _ in smax]] = np.arange(len(smax))
        add_block(row[var_ch], var_cost, [c.max_spend or 0.0 for _, c in smax],
                  [f"spend_max:{c.name}" for _, c in smax])  # fmt: skip
    add_block(var_sg, np.ones(n_vars), [g.size for g in s.segments], [f"segment:{g.name}" for g in s.segments])
    capped = [(k, o) for k, o in enumerate(s.offers) if o.max_conversions is not None]
    if capped:
        row = np.full(len(s.offers), -1)
        row[[k for k, _ in capped]] = np.arange(len(capped))
        add_block(row[var_of], var_rate, [o.max_conversions or 0.0 for _, o in capped],
                  [f"offer:{o.name}" for _, o in capped])  # fmt: skip

    A = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(colidx))), shape=(len(rhs), n_vars)
    )
    triples = pd.DataFrame(
        {
            "channel": np.array([c.name for c in s.channels], dtype=object)[ch],
            "segment": np.array([g.name for g in s.segments], dtype=object)[sg],
            "offer": np.array([o.name for o in s.offers], dtype=object)[of],
            "cost": cost,
            "value": np.array([o.value for o in s.offers])[of],
            "ch": ch,
        }
    )
    return LinearProgram(c=obj, A=A, b=np.asarray(rhs, dtype=float), upper=upper, row_names=names,
                         row_sign=np.asarray(signs), var_triple=var_triple, var_rate=var_rate, triples=triples,
                         excluded=excluded, budget_row=budget_row)  # fmt: skip


@dataclass
class _Solution:
    status: str
    x: np.ndarray
    objective: float  # of the minimisation handed to HiGHS
    row_dual: np.ndarray  # d(min objective)/d(row upper bound), ≤ 0 for binding ≤ rows
    row_value: np.ndarray
    message: str


_STDOUT_LOCK = threading.Lock()


@contextlib.contextmanager
def _native_stdout_to_stderr() -> Iterator[None]:
    """Sends what native code prints on file descriptor 1 to stderr for the duration.

    Why: highspy ≥ 1.16 prints its banner when a `Highs` object is built, before any option can be set,
    and `advisor optimize --json` must keep stdout for the JSON document alone.
    """
    libc = ctypes.CDLL(None)
    with _STDOUT_LOCK:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            os.dup2(2, 1)
            yield
        finally:
            libc.fflush(None)  # C stdio buffers go out while fd 1 still points at stderr
            os.dup2(saved, 1)
            os.close(saved)


def _highs_minimize(
    cost: np.ndarray, A: sparse.csr_matrix, upper_rows: np.ndarray, upper_cols: np.ndarray
) -> _Solution:
    """min cost·y s.t. A y ≤ upper_rows, 0 ≤ y ≤ upper_cols, with highspy.

    Primal simplex without presolve: these programs have a few hundred rows and up to 10⁵ columns, where
    HiGHS's primal simplex is ~20× faster than its default dual simplex (bench/bench_optimizer.py). If it
    ends in anything but a clear answer, the default strategy gets a second try.
    """
    import highspy

    m, n = A.shape
    csc = A.tocsc()
    inf = highspy.kHighsInf
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = n, m
    model.col_cost_ = np.asarray(cost, dtype=float)
    model.col_lower_ = np.zeros(n)
    model.col_upper_ = np.where(np.isinf(upper_cols), inf, upper_cols)
    model.row_lower_ = np.full(m, -inf)
    model.row_upper_ = np.asarray(upper_rows, dtype=float)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_ = csc.indptr
    model.a_matrix_.index_ = csc.indices
    model.a_matrix_.value_ = csc.data
    status = highspy.HighsModelStatus
    strategies: tuple[dict[str, int | str], ...] = ({"simplex_strategy": 4, "presolve": "off"}, {})
    for options in strategies:
        with _native_stdout_to_stderr():
            h = highspy.Highs()  # type: ignore[no-untyped-call]
            h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        for key, value in options.items():
            h.setOptionValue(key, value)
        h.passModel(model)
        h.run()
        result = h.getModelStatus()
        if result in (status.kOptimal, status.kInfeasible, status.kUnbounded):
            break
    names = {status.kOptimal: "optimal", status.kInfeasible: "infeasible", status.kUnbounded: "unbounded",
             status.kUnboundedOrInfeasible: "infeasible_or_unbounded", status.kIterationLimit: "iteration_limit",
             status.kTimeLimit: "time_limit"}  # fmt: skip
    solution = h.getSolution()
    return _Solution(
        status=names.get(result, "error"),
        x=np.asarray(solution.col_value, dtype=float),
        objective=float(h.getInfo().objective_function_value),
        row_dual=np.asarray(solution.row_dual, dtype=float),
        row_value=np.asarray(solution.row_value, dtype=float),
        message=h.modelStatusToString(result),
    )


def _solve_lp(lp: LinearProgram) -> _Solution | None:
    if lp.c.size == 0:
        return None
    return _highs_minimize(-lp.c, lp.A, lp.b, lp.upper)


def _infeasibility_cause(lp: LinearProgram) -> list[str]:
    """The constraints in HiGHS's phase-1 certificate: minimise total violation; rows with a non-zero dual
    in that problem are the ones that conflict (e.g. the budget and the channels' minimum spends)."""
    m, n = lp.A.shape
    A = sparse.hstack([lp.A, -sparse.identity(m, format="csr")], format="csr")
    cost = np.concatenate([np.zeros(n), np.ones(m)])
    res = _highs_minimize(cost, A, lp.b, np.concatenate([lp.upper, np.full(m, np.inf)]))
    if res.status != "optimal":
        return []
    return [lp.row_names[i] for i in np.flatnonzero(np.abs(res.row_dual) > 1e-9)]


def _quick_conflicts(s: Scenario, budget: float) -> list[str]:
    total_min = sum(c.min_spend for c in s.channels)
    if total_min > budget:
        return ["budget", *[f"spend_min:{c.name}" for c in s.channels if c.min_spend > 0]]
    for c in s.channels:
        if c.max_spend is not None and c.min_spend > c.max_spend:
            return [f"spend_min:{c.name}", f"spend_max:{c.name}"]
        if c.capacity is not None and c.min_spend > c.capacity * c.cost_per_contact:
            return [f"spend_min:{c.name}", f"capacity:{c.name}"]
    return []


def solve(scenario: Scenario | dict[str, Any] | str | bytes, *, budget: float | None = None) -> dict[str, Any]:
    """Solves the scenario; the CONTRACTS.md output (status, objective, allocations, channels,
    constraints, excluded) plus `message` and, when infeasible, `infeasible_constraints`."""
    s = parse_scenario(scenario)
    spend_limit = s.budget if budget is None else budget
    if spend_limit < 0:
        raise ScenarioError(f"budget: must be ≥ 0, got {spend_limit}")
    lp = build_program(s, budget=spend_limit)
    res = _solve_lp(lp)
    out: dict[str, Any] = {"objective_kind": s.objective, "budget": spend_limit, "excluded": lp.excluded}
    if res is None:
        min_spends = [c.name for c in s.channels if c.min_spend > 0]
        status = "infeasible" if min_spends else "optimal"
        out.update(status=status, objective=0.0, allocations=[], channels=[], constraints=[],
                   message="no suitable (channel, segment, offer) triple has a rate; nothing to allocate"
                   + (f"; channels with a minimum spend cannot spend: {', '.join(min_spends)}" if min_spends else ""),
                   infeasible_constraints=[f"spend_min:{n}" for n in min_spends])  # fmt: skip
        return out
    status = res.status
    out["status"] = status
    if status != "optimal":
        out.update(objective=None, allocations=[], channels=[], constraints=[])
        if status == "infeasible":
            cause = _quick_conflicts(s, spend_limit) or _infeasibility_cause(lp)
            out["infeasible_constraints"] = cause
            out["message"] = "infeasible: these constraints cannot all hold: " + (", ".join(cause) or "unknown")
        else:
            out["message"] = f"HiGHS stopped: {res.message}"
        return out
    y = np.maximum(res.x, 0.0)
    activity = lp.A @ y
    slack = lp.b - res.row_value
    # HiGHS minimises −c·y; its row duals are d(min)/d(b) ≤ 0. For the maximisation, per unit of the
    # constraint's own right-hand side: −dual for ≤ rows, +dual for ≥ rows (written with b = −rhs).
    shadow = -res.row_dual * lp.row_sign
    rhs = lp.b * lp.row_sign
    constraints = [
        {"name": name, "rhs": float(r), "activity": float(a * sign), "slack": float(max(sl, 0.0)),
         "binding": bool(sl <= BINDING_TOL * max(1.0, abs(r))), "shadow_price": float(sp) + 0.0}
        for name, r, a, sign, sl, sp in zip(lp.row_names, rhs, activity, lp.row_sign, slack, shadow, strict=True)
    ]  # fmt: skip
    n_triples = len(lp.triples)
    contacts = np.bincount(lp.var_triple, weights=y, minlength=n_triples)
    conversions = np.bincount(lp.var_triple, weights=y * lp.var_rate, minlength=n_triples)
    t = lp.triples
    spend = contacts * t["cost"].to_numpy()
    revenue = conversions * t["value"].to_numpy()
    nz = np.flatnonzero(contacts > 1e-6)
    order = nz[np.argsort(-revenue[nz] - 1e-9 * contacts[nz], kind="stable")]
    allocations = pd.DataFrame(
        {"channel": t["channel"].to_numpy()[order], "segment": t["segment"].to_numpy()[order],
         "offer": t["offer"].to_numpy()[order], "contacts": contacts[order], "spend": spend[order],
         "conversions": conversions[order], "revenue": revenue[order]}
    ).to_dict("records")  # fmt: skip
    ch_contacts = np.bincount(t["ch"].to_numpy(), weights=contacts, minlength=len(s.channels))
    ch_spend = np.bincount(t["ch"].to_numpy(), weights=spend, minlength=len(s.channels))
    channels = [{"channel": c.name, "contacts": float(ch_contacts[j]), "spend": float(ch_spend[j])}
                for j, c in enumerate(s.channels)]  # fmt: skip
    budget_shadow = constraints[lp.budget_row]["shadow_price"]
    out.update(
        objective=float(-res.objective) + 0.0,
        total_spend=float(spend.sum()),
        total_conversions=float(conversions.sum()),
        total_revenue=float(revenue.sum()),
        allocations=allocations,
        channels=channels,
        constraints=constraints,
        message=explain(constraints, budget_shadow=budget_shadow, objective=s.objective),
        n_variables=int(lp.c.size),
    )
    return out


def explain(constraints: Sequence[dict[str, Any]], *, budget_shadow: float, objective: str) -> str:
    """One line for admins: what binds and what one more unit of each is worth."""
    binding = sorted((c for c in constraints if c["binding"]), key=lambda c: -abs(c["shadow_price"]))
    unit = "revenue" if objective == "revenue" else "conversions"
    if not binding:
        return "nothing binds: the plan is limited only by the rates listed"
    parts = [f"{c['name']} ({c['shadow_price']:+.4g} {unit} per unit)" for c in binding[:4]]
    head = f"binding: {', '.join(parts)}"
    if budget_shadow > 0:
        head += f"; one more unit of budget adds {budget_shadow:.4g} {unit}"
    return head


def budget_curve(scenario: Scenario | dict[str, Any] | str | bytes, budgets: Sequence[float]) -> list[dict[str, Any]]:
    """What-if: the optimum and the budget's shadow price (marginal value of money) at each budget."""
    s = parse_scenario(scenario)
    curve = []
    for value in budgets:
        result = solve(s, budget=float(value))
        shadow = next((c["shadow_price"] for c in result.get("constraints", []) if c["name"] == "budget"), None)
        curve.append({"budget": float(value), "status": result["status"], "objective": result["objective"],
                      "budget_shadow_price": shadow})  # fmt: skip
    return curve


def parse_budget_steps(text: str) -> list[float]:
    try:
        values = [float(p) for p in text.replace(" ", "").split(",") if p]
    except ValueError as e:
        raise ScenarioError(f"--budget-steps: '{text}' is not a comma-separated list of numbers") from e
    if not values or any(v < 0 for v in values):
        raise ScenarioError("--budget-steps: give one or more budgets ≥ 0, e.g. 100000,200000,500000")
    return values


def scenario_json(s: Scenario) -> str:
    return json.dumps(s.model_dump(), ensure_ascii=False, indent=2)
