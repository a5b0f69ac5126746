"""Effects that go upward travel as events: an app below announces what happened, the apps
above subscribe (the way paperless-ngx fans out a consumed document), so no app calls into
one above it.

Each app's events are dataclasses in its own `events` module; receivers live in the
subscribing app's `receivers` module, imported by its AppConfig.ready(). `publish` calls them
at once, inside the publisher's transaction: the rows they write commit or roll back with
the publisher's, and what they push to open pages (notify, region refreshes) is sent only
after the commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from club.models import Run

E = TypeVar("E")
Receiver = Callable[[E], None]

_RECEIVERS: defaultdict[type, list[Receiver[Any]]] = defaultdict(list)


def subscribe(event_type: type[E]) -> Callable[[Receiver[E]], Receiver[E]]:
    """Decorator: call this receiver for every published event of `event_type`."""

    def register(receiver: Receiver[E]) -> Receiver[E]:
        if receiver not in _RECEIVERS[event_type]:
            _RECEIVERS[event_type].append(receiver)
        return receiver

    return register


def publish(event: object) -> None:
    for receiver in _RECEIVERS[type(event)]:
        receiver(event)


@dataclass(frozen=True)
class RunAdded:
    """A run was logged by hand or imported from a watch file (not when a complete file
    replaces a partial import: that run was announced already)."""

    run: Run
