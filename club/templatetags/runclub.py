"""Display filters for run figures: durations, paces, distances."""

from __future__ import annotations

import math

from django import template

register = template.Library()


def _usable(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


@register.filter
def duration(seconds: float | None) -> str:
    """3725 -> '1:02:05'; 300 -> '5:00'."""
    if not _usable(seconds):
        return "—"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def pace(seconds_per_km: float | None) -> str:
    """330 -> '5:30 /km'."""
    if not _usable(seconds_per_km) or seconds_per_km <= 0:
        return "—"
    return f"{duration(seconds_per_km)} /km"


@register.filter
def km(metres: float | None) -> str:
    if not _usable(metres):
        return "—"
    return f"{metres / 1000:.2f} km"


@register.filter
def number(value: float | None, digits: int = 0) -> str:
    if not _usable(value):
        return "—"
    return f"{value:.{int(digits)}f}"
