"""What the coaching app announces to the apps above it (see club.events)."""

from __future__ import annotations

from dataclasses import dataclass

from coaching.models import DrillSession


@dataclass(frozen=True)
class SessionLogged:
    """An athlete ticked off a session of an assignment."""

    session: DrillSession
