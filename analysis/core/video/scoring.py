"""Verdicts, the form score and ranked findings, read from the metric registry. Pure.

Each metric arrives as an :class:`~analysis.core.video.uncertainty.Estimate` (median of per-stride
values, bootstrap interval, stride count) and leaves as the dict the report stores:

- `band`: good, warn or poor where the whole interval sits in one band; "borderline" (with the
  two bands in `between`) where it straddles an edge, so a value near an edge is never flipped
  by a stride more or less.
- `confidence`: how sure the verdict is, measured: the share of bootstrap replicates that give
  the same verdict as the value (for a metric without a band, that land within one measurement
  noise of it), times the capture-quality factor.
- `points` (banded metrics): 100 inside the good band, falling smoothly outside it. The
  distance outside is read in units of the metric's noise through a smooth hinge (the expected
  excess of a value measured with that noise), so a value within the noise of an edge loses
  almost nothing and nothing jumps; the fall is scaled by the band (80 points one warn-width
  out, 64 at two, 51 at three), or by three noise units where the band is narrower than that.
  A value at the warn edge is still acceptable form; the score is for tracking change, and
  its own noise (SCORE_MDC) is measured on this scale.

The form score is the confidence-weighted mean of the points, with an interval from the same
bootstrap replicates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from analysis.core import metrics as registry
from analysis.core.video.uncertainty import Estimate

POINTS_AT_WARN_EDGE = 80.0
_REPLICATES = 400  # of each metric's bootstrap, for the score's interval
# A band narrower than the measurement noise would score noise: points fall no faster than
# over this many noise units, whatever the band.
NOISE_WIDTHS = 3.0
MIN_CONFIDENCE = 0.5  # below this a metric makes no finding
MIN_REPORTED_CONFIDENCE = 0.3  # below this it is not shown as measured
SEVERITY = {"poor": 2, "warn": 1}


def judge(
    key: str,
    estimate: Estimate,
    *,
    quality: float = 1.0,
    good: tuple[float, float] | None = None,
) -> dict:
    """The stored form of one metric: value, interval, strides, unit, and where it has a band
    the verdict, points and the good band used (`good`: a personal one)."""
    metric = registry.REGISTRY[key]
    out = {
        "value": metric.rounded(estimate.value),
        "plus_minus": metric.rounded(estimate.plus_minus),
        "interval": [metric.rounded(estimate.low), metric.rounded(estimate.high)],
        "strides": estimate.n,
        "unit": metric.unit,
    }
    if metric.band is None:
        near = np.abs(estimate.replicates - estimate.value) <= metric.noise
        certainty = float(np.mean(near))
    else:
        verdict = metric.band.verdict(estimate.value, good=good)
        out.update(_band_of(metric, estimate, good))
        out["good"] = [_finite(e) for e in (good or metric.band.good)]
        out["points"] = round(points(key, estimate.value, good=good), 1)
        agree = [metric.band.verdict(r, good=good) == verdict for r in estimate.replicates]
        certainty = float(np.mean(agree))
    out["confidence"] = round(certainty * quality, 2)
    return out


def _finite(edge: float) -> float | None:
    return edge if math.isfinite(edge) else None


def _band_of(metric: registry.Metric, estimate: Estimate, good: tuple | None) -> dict:
    """good / warn / poor, or borderline between the two bands the interval spans."""
    low = metric.band.verdict(estimate.low, good=good)
    high = metric.band.verdict(estimate.high, good=good)
    middle = metric.band.verdict(estimate.value, good=good)
    if low == high == middle:
        return {"band": middle}
    order = ["good", "warn", "poor"]
    spanned = sorted({low, middle, high}, key=order.index)
    return {"band": "borderline", "between": [spanned[0], spanned[-1]]}


def points(key: str, value: float, *, good: tuple[float, float] | None = None) -> float:
    """0-100 for one value of a banded metric (see the module docstring)."""
    metric = registry.REGISTRY[key]
    low, high = good or metric.band.good
    warn_low, warn_high = metric.band.warn_for(good)
    below, above = low - value, value - high
    distance, width = (below, low - warn_low) if below > above else (above, warn_high - high)
    excess = metric.noise * _smooth_hinge(distance / metric.noise)
    scale = max(width, NOISE_WIDTHS * metric.noise)
    return 100.0 * math.exp(math.log(POINTS_AT_WARN_EDGE / 100.0) * excess / scale)


def _smooth_hinge(z: float) -> float:
    """E[max(0, z + e)] for a standard normal e: z far outside, 0 far inside, 0.4 at 0."""
    return z * 0.5 * (1 + math.erf(z / math.sqrt(2))) + math.exp(-z * z / 2) / math.sqrt(
        2 * math.pi
    )


@dataclass(frozen=True)
class Score:
    value: float
    low: float
    high: float
    metrics: int  # how many metrics it rests on

    def as_dict(self) -> dict:
        return {
            "value": round(self.value, 1),
            "plus_minus": round((self.high - self.low) / 2, 1),
            "interval": [round(self.low, 1), round(self.high, 1)],
            "metrics": self.metrics,
        }


def form_score(
    judged: dict[str, dict],
    *,
    estimates: dict[str, Estimate] | None = None,
    goods: dict[str, tuple[float, float]] | None = None,
) -> Score | None:
    """The confidence-weighted mean of the banded metrics' points. With the estimates, its
    interval comes from their bootstrap replicates (each metric resampled on its own);
    without (a report read back), it is a single value."""
    used = {
        k: m
        for k, m in judged.items()
        if "points" in m and m.get("confidence", 0) > 0 and k in registry.REGISTRY
    }
    if not used:
        return None
    weights = np.array([m["confidence"] for m in used.values()])
    value = float(np.dot(weights, [m["points"] for m in used.values()]) / weights.sum())
    if not estimates or any(k not in estimates for k in used):
        return Score(value, value, value, len(used))
    goods = goods or {}
    replicate_points = np.array(
        [
            [points(k, r, good=goods.get(k)) for r in estimates[k].replicates[:_REPLICATES]]
            for k in used
        ]
    )
    scores = weights @ replicate_points / weights.sum()
    low, high = np.percentile(scores, [2.5, 97.5])
    return Score(value, float(min(low, value)), float(max(high, value)), len(used))


def findings(judged: dict[str, dict], *, limit: int = 3) -> list[dict]:
    """Metrics clearly outside their good band (not borderline), confident enough, with
    advice for that direction: the most points lost (times confidence) first. Each cites the
    value it rests on, so it can never say more than the metric does."""
    out = []
    for key, m in judged.items():
        metric = registry.get(key)
        if (
            metric is None
            or metric.advice is None
            or m.get("band") not in SEVERITY
            or m.get("confidence", 0) < MIN_CONFIDENCE
        ):
            continue
        high = _has_high(m)
        message = metric.advice.high if high else metric.advice.low
        if not message:
            continue
        out.append(_finding(key, metric, m, high, message))
    out.sort(key=lambda f: f.pop("_rank"), reverse=True)
    return out[:limit]


def _has_high(m: dict) -> bool:
    good = m.get("good") or [None, None]
    return good[1] is not None and m["value"] > good[1]


def _finding(key: str, metric: registry.Metric, m: dict, high: bool, message: str) -> dict:
    return {
        "code": f"{key}_{'high' if high else 'low'}",
        "metric": key,
        "severity": m["band"],
        "message": message,
        "cue": metric.advice.cue,
        "drills": list(metric.advice.drills),
        "evidence": evidence(key, m),
        "_rank": ((100 - m.get("points", 100)) * m["confidence"], m["confidence"]),
    }


def evidence(key: str, m: dict) -> str:
    """The values a finding rests on, in words: "Knee bend at landing: 3.1 +/- 1.2 deg
    (good 13.8 to 21.8 deg)"."""
    metric = registry.REGISTRY[key]
    value = f"{m['value']:.{metric.decimals}f} ± {m['plus_minus']:.{metric.decimals}f}"
    return f"{metric.label}: {value} {metric.unit} ({good_text(metric, m.get('good'))})"


def good_text(metric: registry.Metric, good: list | None) -> str:
    """The good band in words: "good 170 to 185 steps/min", "good up to 8 % leg"."""
    if not good:
        return "no band"
    low, high = good
    if low is None:
        return f"good up to {high:g} {metric.unit}"
    if high is None:
        return f"good from {low:g} {metric.unit}"
    return f"good {low:g} to {high:g} {metric.unit}"


PANNING_SHIFT_PER_S = 0.05  # frame widths per second; a fixed camera measures near 0.003
MIN_STRIDES = 6  # clean stride periods for a good capture


def capture_quality(
    *,
    runner_pct: float,
    whole_body_pct: float,
    strides: int | None,
    fps: float,
    camera_shift_per_s: float,
) -> dict:
    """A verdict on the clip (good, fair or poor) with the reasons, and for each reason how to
    film next time, in words for the member."""
    found = []
    if runner_pct < 80:
        found.append(
            (
                f"the runner is found in only {runner_pct:.0f} % of the frames",
                "keep the runner in the picture from start to end",
            )
        )
    if whole_body_pct < 70:
        found.append(
            (
                f"head and feet are both in the picture in only {whole_body_pct:.0f} % of frames",
                "step back or turn the phone so head and feet stay in the frame",
            )
        )
    if strides is not None and strides < MIN_STRIDES:
        found.append(
            (
                f"only {strides} clean strides were timed",
                "film at least 10 seconds of steady running",
            )
        )
    if fps < 24:
        found.append(
            (
                f"{fps:.0f} frames per second is too few to time foot contacts",
                "film at 30 frames per second or more (60 is better)",
            )
        )
    panning = camera_shift_per_s > PANNING_SHIFT_PER_S
    if panning:
        found.append(
            (
                "the camera moves; positions against the ground are less reliable",
                "put the phone on something still, or film a treadmill",
            )
        )
    reasons = [reason for reason, _ in found]
    verdict = (
        "good" if not reasons else "fair" if len(reasons) == 1 and not runner_pct < 50 else "poor"
    )
    return {
        "verdict": verdict,
        "reasons": reasons,
        "next_time": [tip for _, tip in found],
        "frames_with_runner_pct": round(runner_pct, 1),
        "whole_body_pct": round(whole_body_pct, 1),
        "strides_counted": strides,
        "fps": round(fps, 2),
        "camera": "panning" if panning else "fixed",
    }


def quality_factor(quality: dict) -> float:
    """How much the capture lets us trust its numbers: scales every metric's confidence."""
    return {"good": 1.0, "fair": 0.7, "poor": 0.4}[quality["verdict"]]
