"""Template filters and tags of the video room."""

from __future__ import annotations

import json

from django import template

from analysis import room

register = template.Library()

SPEEDS = [("0.25", "¼×"), ("0.5", "½×"), ("1", "1×")]
# (event kind, button text, its name in full, keyboard key): the moments of a stance the room
# jumps between.
JUMPS = [
    ("contact", "Contact", "initial contact", "C"),
    ("midstance", "Midstance", "midstance", "M"),
    ("toe_off", "Toe-off", "toe-off", "T"),
]


@register.filter
def clip_time(seconds: float | None) -> str:
    """A moment of a clip, 0:03.43; empty for none."""
    return "" if seconds is None else room.clip_time(float(seconds))


@register.filter
def as_json(value: object) -> str:
    """A value as JSON for a data attribute (the template escapes it as any attribute)."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


@register.inclusion_tag("analysis/partials/room_controls.html")
def room_controls(*, strides: bool = False) -> dict:
    """The room's buttons: moments of the stance for one clip, whole strides for two."""
    return {"speeds": SPEEDS, "jumps": JUMPS, "strides": strides}
