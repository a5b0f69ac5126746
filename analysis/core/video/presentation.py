"""A stored report turned into what a page shows, every word and unit from the registry. Pure.

Pages never print a raw metric key: a key this version does not know (an old report) is left
out, and everything else carries its plain label, unit, band in words and how sure it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.core import metrics as registry
from analysis.core.video import scoring

BAND_WORDS = {"good": "good", "warn": "watch", "poor": "work on it", "borderline": "borderline"}


@dataclass(frozen=True)
class MetricRow:
    key: str
    label: str
    value: str  # "12.3 ± 0.8 deg"
    band: str  # good | warn | poor | borderline | ""
    band_words: str
    good: str  # the good band in words, "" without one
    strides: int
    confidence: float
    read_at: str


def metric_rows(report: dict) -> list[MetricRow]:
    """The measured metrics in registry order (banded ones first)."""
    metrics = report.get("metrics") or {}
    rows = [_row(m, metrics[m.key]) for m in registry.METRICS if m.key in metrics]
    return sorted(rows, key=lambda r: r.band == "")


def _row(metric: registry.Metric, m: dict) -> MetricRow:
    band = m.get("band", "")
    words = BAND_WORDS.get(band, "")
    if band == "borderline" and m.get("between"):
        words = f"borderline ({' / '.join(BAND_WORDS[b] for b in m['between'])})"
    return MetricRow(
        key=metric.key,
        label=metric.label,
        value=value_text(metric.key, m),
        band=band,
        band_words=words,
        good=scoring.good_text(metric, m.get("good") or _default_good(metric))
        if metric.band
        else "",
        strides=int(m.get("strides") or 0),
        confidence=float(m.get("confidence") or 0),
        read_at=metric.read_at,
    )


def _default_good(metric: registry.Metric) -> list[float | None]:
    """The registry's good band, for a report stored before reports recorded the one used."""
    return [e if math.isfinite(e) else None for e in metric.band.good]


def value_text(key: str, m: dict) -> str:
    """ "12.3 ± 0.8 deg"; a value without an interval (an old report) without the ±."""
    metric = registry.REGISTRY[key]
    digits = metric.decimals
    text = f"{m['value']:.{digits}f}"
    if m.get("plus_minus") is not None:
        text += f" ± {m['plus_minus']:.{digits}f}"
    return f"{text} {metric.unit}".strip()


def not_measured_rows(report: dict) -> list[tuple[str, str]]:
    """(label, reason) for each metric the clip could not support, registry order."""
    missing = report.get("not_measured") or {}
    return [(m.label, missing[m.key]) for m in registry.METRICS if m.key in missing]


def headline_cadence(report: dict) -> str:
    """The cadence for a report's header, only when it is among the measured metrics."""
    cadence = (report.get("metrics") or {}).get("cadence_spm")
    return value_text("cadence_spm", cadence) if cadence else ""
