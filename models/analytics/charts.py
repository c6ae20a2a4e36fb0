"""PNG charts for the admin UI (matplotlib, Agg backend: no display, safe in server threads)."""

from __future__ import annotations

import io
import threading
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

# pyplot's global state is not thread-safe; building Figure objects directly avoids it, and the lock
# keeps font caches and the like from being initialised twice at once.
_LOCK = threading.Lock()


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def funnel_chart(report: dict[str, Any], *, max_groups: int = 8) -> bytes:
    """Horizontal bars of users reaching each step, one bar set per group (largest groups first)."""
    steps = report["steps"]
    groups = sorted(report["groups"], key=lambda g: -g["reached"][0])[:max_groups] or [report["total"]]
    with _LOCK:
        fig = Figure(figsize=(8, 1.2 + 0.5 * len(steps) * max(1, min(len(groups), 3))))
        ax = fig.subplots()
        height = 0.8 / len(groups)
        for i, g in enumerate(groups):
            ys = [k + i * height for k in range(len(steps))]
            bars = ax.barh(ys, g["reached"], height=height, label=str(g["group"]))
            for bar, rate in zip(bars, g["step_rates"], strict=True):
                if rate is not None:
                    ax.annotate(f"{rate:.0%}", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                                xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)  # fmt: skip
        ax.set_yticks([k + 0.4 - height / 2 for k in range(len(steps))], steps)
        ax.invert_yaxis()
        ax.set_xlabel("users reaching the step (label: step conversion)")
        title = "Funnel" + (f" by {report['by']}" if report.get("by") not in (None, "all") else "")
        ax.set_title(title)
        if len(groups) > 1:
            ax.legend(fontsize=7, loc="lower right")
        return _png(fig)


def timeseries_chart(series: dict[str, Any]) -> bytes:
    """Counts as lines on the left axis, rates (if any) on a right axis."""
    dates = series["dates"]
    with _LOCK:
        fig = Figure(figsize=(9, 3.8))
        ax = fig.subplots()
        for name, values in series.get("series", {}).items():
            ax.plot(dates, values, label=name, linewidth=1.4)
        rates = series.get("rates", {})
        if rates:
            target = ax.twinx() if series.get("series") else ax
            for name, values in rates.items():
                target.plot(dates, [float("nan") if v is None else v for v in values], linestyle="--", label=name)
            target.set_ylabel("rate")
            target.legend(fontsize=7, loc="upper right")
        if series.get("series"):
            ax.set_ylabel("users")
            ax.legend(fontsize=7, loc="upper left")
        step = max(1, len(dates) // 10)
        ax.set_xticks(range(0, len(dates), step), [dates[i] for i in range(0, len(dates), step)], rotation=30,
                      fontsize=7)  # fmt: skip
        ax.set_title(series.get("title", ""))
        return _png(fig)
