"""Compose a run's headline figures and page data from RunData. Pure: no Django, no fitparse.

Headline figures come from the step-sport segments only (running first; walking when the file
has no running), so a ride-then-run file reports the run's cadence and distance, never the
ride's rpm.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from analysis.core.fit.rundata import RUNNING_DYNAMICS, RunData, Segment
from analysis.core.runs import cadence

# Everything stored for a run's page (page data, chart series, warnings) stays under this,
# whatever the file: each part is bounded (splits by cadence.MAX_SPLITS, laps and segments
# below, developer fields by fit_io, series by downsample_series's points). A summary past it is a
# bug in one of those bounds, raised as SummaryTooLarge, never stored.
MAX_SUMMARY_BYTES = 200_000
# A watch's auto-lap every kilometre gives a hundred laps on a long ultra; more is a track
# session nobody reads lap by lap, or a crafted file.
MAX_LAPS = 200
# A triathlon has five sessions; a long multisport day perhaps twenty.
MAX_SEGMENTS = 50
# Points per chart series: a 640-px chart shows no more, and six series of them stay near
# 100 kB even with the widest numbers a file can hold.
SERIES_POINTS = 1000

DYNAMICS_LABELS = {
    "vertical_oscillation_mm": ("Vertical oscillation", "mm"),
    "stance_time_ms": ("Ground contact time", "ms"),
    "stance_time_balance_pct": ("Contact time balance (left)", "%"),
    "step_length_mm": ("Step length", "mm"),
    "vertical_ratio_pct": ("Vertical ratio", "%"),
}


@dataclass
class RunSummary:
    sport: str
    sub_sport: str
    start_utc: datetime
    utc_offset_s: int | None
    distance_m: float | None
    moving_time_s: float | None
    elapsed_time_s: float | None
    avg_cadence_spm: float | None
    time_in_target_pct: float | None
    target_spm: tuple[int, int] | None
    device_serial: int | None
    partial: bool
    warnings: list[str]
    details: dict[str, Any] = field(default_factory=dict)  # JSON-ready page data
    series: dict[str, list] = field(default_factory=dict)  # JSON-ready chart series


class SummaryTooLarge(RuntimeError):
    """A summary came out over MAX_SUMMARY_BYTES: one of its bounds is missing (a bug)."""


def _clean(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, NaN and inf to None, recursively."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def headline_segments(run: RunData) -> list[Segment]:
    for sport in ("running", "walking", "hiking"):
        chosen = [s for s in run.segments if s.sport == sport]
        if chosen:
            return chosen
    return list(run.segments)


def _mask_for(run: RunData, segments: list[Segment]) -> np.ndarray:
    mask = np.zeros(len(run.records), dtype=bool)
    for segment in segments:
        mask[segment.record_start : segment.record_stop] = True
    return mask


def _sum_or_none(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None and math.isfinite(v)]
    return float(sum(known)) if known else None


def summarise_run(run: RunData, *, height_cm: float | None = None) -> RunSummary:
    """Headline figures and page data of one activity. `height_cm` personalises the target."""
    rec = run.records
    chosen = headline_segments(run)
    in_headline = _mask_for(run, chosen)
    weight = cadence.interval_weights_s(
        timestamp_s=rec.timestamp_s, pauses=run.pauses, distance_m=rec.distance_m
    )
    moving = cadence.moving_mask(speed_mps=rec.speed_mps, cadence_spm=rec.cadence_spm)
    w = np.where(in_headline & moving, weight, 0.0)
    moving_s = float(w.sum()) or None
    distance = _sum_or_none([s.distance_m for s in chosen])
    speed = distance / moving_s if distance and moving_s else None
    target = cadence.personal_target_spm(height_cm=height_cm, speed_mps=speed)
    stats = cadence.cadence_stats(cadence_spm=rec.cadence_spm, weight_s=w)
    in_band = cadence.time_in_band_pct(
        cadence_spm=rec.cadence_spm, weight_s=w, low_spm=target[0], high_spm=target[1]
    )
    has_steps = stats.mean_spm is not None
    details = (
        _details(run, w=w, stats=stats, target=target, height_cm=height_cm, speed=speed)
        if has_steps
        else {}
    )
    details.update(_context(run, w))
    summary = RunSummary(
        sport=chosen[0].sport if chosen else "generic",
        sub_sport=chosen[0].sub_sport if chosen else "",
        start_utc=chosen[0].start if chosen else run.start,
        utc_offset_s=run.local_offset_s,
        distance_m=distance,
        moving_time_s=moving_s,
        elapsed_time_s=_sum_or_none([s.elapsed_s for s in chosen]),
        avg_cadence_spm=_round(stats.mean_spm, 1),
        time_in_target_pct=_round(in_band, 1) if has_steps else None,
        target_spm=target if has_steps else None,
        device_serial=run.device.serial,
        partial=run.partial,
        warnings=[*run.warnings, *_bound_warnings(run)],
        details=_clean(details),
        series=_series(run, in_headline),
    )
    _check_size(summary)
    return summary


def _bound_warnings(run: RunData) -> list[str]:
    """What the page leaves out of a file with more laps or sessions than it shows."""
    warnings = []
    if len(run.laps) > MAX_LAPS:
        warnings.append(f"the file has {len(run.laps)} laps; the first {MAX_LAPS} are shown")
    if len(run.segments) > MAX_SEGMENTS:
        warnings.append(
            f"the file has {len(run.segments)} sessions; the first {MAX_SEGMENTS} are listed"
        )
    return warnings


def stored_bytes(summary: RunSummary) -> int:
    """Size of what a run stores for its page: page data, chart series and warnings, as JSON."""
    return len(json.dumps([summary.details, summary.series, summary.warnings]).encode())


def _check_size(summary: RunSummary) -> None:
    size = stored_bytes(summary)
    if size > MAX_SUMMARY_BYTES:
        raise SummaryTooLarge(
            f"the run's summary is {size:,} bytes, over the {MAX_SUMMARY_BYTES:,} allowed"
        )


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _details(
    run: RunData,
    *,
    w: np.ndarray,
    stats: cadence.CadenceStats,
    target: tuple[int, int],
    height_cm: float | None,
    speed: float | None,
) -> dict[str, Any]:
    rec = run.records
    edges, seconds = cadence.cadence_histogram(cadence_spm=rec.cadence_spm, weight_s=w)
    versus = cadence.cadence_vs_pace(
        speed_mps=rec.speed_mps, cadence_spm=rec.cadence_spm, weight_s=w
    )
    laps = [(lap.record_start, lap.record_stop, lap.distance_m) for lap in run.laps[:MAX_LAPS]]
    splits = cadence.splits(
        distance_m=_headline_distance(rec.distance_m, w),
        cadence_spm=rec.cadence_spm,
        weight_s=w,
        heart_rate_bpm=rec.heart_rate_bpm,
        timestamp_s=rec.timestamp_s,
    )
    return {
        "cadence": stats.__dict__,
        "target": _target_basis(target, height_cm, speed),
        "drift": cadence.cadence_drift(cadence_spm=rec.cadence_spm, weight_s=w).__dict__,
        "histogram": {"edges": edges.tolist(), "seconds": seconds.tolist()},
        "cadence_vs_pace": versus.__dict__,
        "splits": [s.__dict__ for s in splits],
        # Kilometres, unless the run is longer than cadence.MAX_SPLITS of them: then the first
        # split, always a whole one, has the length they were cut to.
        "split_km": splits[0].distance_m / 1000 if len(splits) > 1 else 1.0,
        "laps": [
            s.__dict__
            for s in cadence.lap_splits(
                laps=laps,
                cadence_spm=rec.cadence_spm,
                weight_s=w,
                heart_rate_bpm=rec.heart_rate_bpm,
                distance_m=rec.distance_m,
                timestamp_s=rec.timestamp_s,
            )
        ],
    }


def _headline_distance(distance_m: np.ndarray, w: np.ndarray) -> np.ndarray:
    # Only records of the headline segments count; others become gaps.
    return np.where(w > 0, distance_m, np.nan)


def _target_basis(target: tuple[int, int], height_cm: float | None, speed: float | None) -> dict:
    parts = []
    if height_cm:
        parts.append(f"your height {height_cm:.0f} cm")
    if speed:
        parts.append(f"this run's speed {speed:.2f} m/s")
    basis = "personalised from " + " and ".join(parts) if parts else "the default band"
    return {"low_spm": target[0], "high_spm": target[1], "basis": basis}


def _context(run: RunData, w: np.ndarray) -> dict[str, Any]:
    """Segments, running dynamics, developer fields, device and what the checks dropped:
    kept for every sport."""
    rec = run.records
    dynamics = {}
    for name in RUNNING_DYNAMICS:
        found = cadence.distribution(values=getattr(rec, name), weight_s=w)
        if found:
            label, unit = DYNAMICS_LABELS[name]
            dynamics[name] = {**found.__dict__, "label": label, "unit": unit}
    developer = {}
    for (app, name), values in rec.developer.items():
        found = cadence.distribution(values=values, weight_s=w)
        if found:
            developer[f"{app}: {name}"] = {
                **found.__dict__,
                "unit": rec.developer_units.get((app, name), ""),
            }
    return {
        "segments": [_segment_json(s) for s in run.segments[:MAX_SEGMENTS]],
        "running_dynamics": dynamics,
        "developer": developer,
        "device": run.device.__dict__,
        "dropped": dict(run.dropped),  # FIT field -> records whose value was impossible
    }


def _segment_json(s: Segment) -> dict[str, Any]:
    return {
        "sport": s.sport,
        "sub_sport": s.sub_sport,
        "start": s.start.isoformat(),
        "distance_m": s.distance_m,
        "duration_s": s.elapsed_s,
        "timer_s": s.timer_s,
        "avg_cadence": _round(s.avg_cadence, 1),
        "cadence_unit": s.cadence_unit,
    }


def _series(run: RunData, in_headline: np.ndarray) -> dict[str, list]:
    rec = run.records
    if not in_headline.any():
        return {}
    t = rec.timestamp_s[in_headline]
    spm = rec.cadence_spm[in_headline]
    plausible = (spm >= cadence.PLAUSIBLE_SPM[0]) & (spm <= cadence.PLAUSIBLE_SPM[1])
    values = {
        # Zeros at a standstill are not a cadence; a chart should show a gap, not a cliff.
        "cadence_spm": np.where(plausible, spm, np.nan),
        "speed_mps": rec.speed_mps[in_headline],
        "heart_rate_bpm": rec.heart_rate_bpm[in_headline],
        "altitude_m": rec.altitude_m[in_headline],
        "distance_m": rec.distance_m[in_headline],
    }
    return cadence.downsample_series(timestamp_s=t, values=values, max_points=SERIES_POINTS)
