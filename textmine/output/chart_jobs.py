"""A run's charts as jobs: each :class:`Chart` names a figure of :mod:`textmine.output.charts` and its data;
:func:`draw_all` draws them in worker processes (matplotlib draws on one core, and only those
processes import it) and writes them, taking from the cache the pictures the same data drew before.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..errors import TextmineError
from ..workflow.cache import StepCache
from ..workflow.workers import IsolatedPool
from ..writers import write_pictures


@dataclass(frozen=True)
class Chart:
    """A chart to draw: :mod:`textmine.output.charts`' ``builder(*args, **kwargs)``, written as ``stem`` (a
    path under the charts folder, without suffix); ``embed`` names it among the pictures the report shows."""

    stem: str
    builder: str
    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    embed: str = ""


def _draw(task: tuple[Chart, bool]) -> tuple[bytes, bytes | None]:
    from . import charts

    chart, svg = task
    return charts.render(getattr(charts, chart.builder)(*chart.args, **chart.kwargs), svg=svg)


def _labels(chart: Chart) -> int:
    """About how long ``chart`` takes to draw: the keyword labels of the networks it draws, which
    adjustText moves apart (a network panel of four groups took 2.3 s on four-cities, a network
    0.6 s, a bar chart or a heatmap 0.2 to 0.4 s)."""
    graphs = [a for a in chart.args if hasattr(a, "number_of_nodes")]
    graphs += [g for a in chart.args if isinstance(a, dict) for g in a.values() if hasattr(g, "number_of_nodes")]
    return sum(g.number_of_nodes() for g in graphs)


def font_list() -> str:
    """A digest of matplotlib's list of the system's fonts, from which :func:`charts.cjk_font` picks
    (matplotlib keeps it in its cache folder and rebuilds it when it is gone), read without importing
    matplotlib; "" before matplotlib has made one."""
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    for folder in (os.environ.get("MPLCONFIGDIR"), os.path.join(xdg, "matplotlib")):
        lists = sorted(Path(folder).glob("fontlist-v*.json")) if folder else []
        if lists:
            return hashlib.sha256(b"".join(p.read_bytes() for p in lists)).hexdigest()
    return ""


def draw_all(
    charts: Sequence[Chart], folder: Path, *, svg: bool, workers: int, cache: StepCache | None = None
) -> dict[str, bytes]:
    """Draw ``charts`` in ``workers`` processes and write them under ``folder``, in order; returns the
    embedded PNGs by name. With ``cache``, a chart whose data, settings, code and library versions
    drew it before is copied from there, if matplotlib's font list is still the one it was drawn with."""
    keys = [cache.key("chart", c.builder, c.args, c.kwargs, svg) for c in charts] if cache else []
    drawn: dict[int, tuple[bytes, bytes | None]] = {}
    if cache is not None:
        fonts = font_list()
        for i, key in enumerate(keys):
            hit = cache.get(key)
            if hit is not None and fonts and hit[1][2] == fonts:
                drawn[i] = hit[1][:2]
    # the longest first (longest-processing-time-first), so that no worker draws alone at the end
    todo = sorted((i for i in range(len(charts)) if i not in drawn), key=lambda i: -_labels(charts[i]))
    if todo:
        from .charts import cjk_font

        cjk_font()  # no font: the one-line message, here, not a worker's error
        pool = IsolatedPool(_draw, workers=max(1, min(workers, len(todo))))
        for i, outcome in zip(todo, pool.map([(charts[i], svg) for i in todo]), strict=True):
            if not outcome.ok:
                raise TextmineError(f"the chart {charts[i].stem} could not be drawn: {outcome.error}")
            drawn[i] = outcome.value
        if cache is not None:
            fonts = font_list()  # made by now, if matplotlib had none before
            for i in todo:
                cache.put(keys[i], {}, (*drawn[i], fonts))
    pictures = {}
    for i, chart in enumerate(charts):
        png, vector = drawn[i]
        write_pictures(folder / chart.stem, png, vector, atomic=False)
        if chart.embed:
            pictures[chart.embed] = png
    return pictures
