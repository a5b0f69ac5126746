"""Failed sign-ins, counted per account and per address in the shared cache (Redis, so every
web process sees the same counts).

After `SIGNIN_FAILURES_PER_ACCOUNT` failures for one username, or `SIGNIN_FAILURES_PER_ADDRESS`
from one address (an IPv6 /64 counts as one address), within `SIGNIN_WINDOW_S` seconds, sign-in
for it is refused, right password or not, for `SIGNIN_WINDOW_S` seconds. A success clears the
account's count, never the address's (else an attacker could clear it with an account of their
own). Who sits behind one address, such as a club on one network, shares its larger allowance.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Counter:
    key: str
    limit: int

    @property
    def lock_key(self) -> str:
        return self.key + ":locked-until"


def _counters(request: HttpRequest, username: str | None) -> list[_Counter]:
    counters = [
        _Counter(f"signin:address:{_address(request)}", settings.SIGNIN_FAILURES_PER_ADDRESS)
    ]
    if username:
        name = unicodedata.normalize("NFKC", username).casefold()
        digest = hashlib.sha256(name.encode()).hexdigest()[:32]
        counters.append(_Counter(f"signin:account:{digest}", settings.SIGNIN_FAILURES_PER_ACCOUNT))
    return counters


def _address(request: HttpRequest) -> str:
    """The client's address as the ASGI server reports it (behind a proxy, the server must be
    told to trust the proxy's forwarded header). IPv6 clients are counted by their /64."""
    raw = request.META.get("REMOTE_ADDR") or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64]
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def retry_after_s(request: HttpRequest, username: str | None) -> int:
    """Seconds until sign-in may be tried again for this username from this address (0: now)."""
    counters = _counters(request, username)
    try:
        locks = cache.get_many([c.lock_key for c in counters])
    except RedisError:
        log.exception("sign-in throttle unavailable; letting the attempt through")
        return 0
    until = max(locks.values(), default=0.0)
    return max(0, math.ceil(until - time.time()))


def record_failure(request: HttpRequest, username: str | None) -> None:
    window = settings.SIGNIN_WINDOW_S
    try:
        for counter in _counters(request, username):
            cache.add(counter.key, 0, timeout=window)
            if _increment(counter.key, window) >= counter.limit:
                cache.set(counter.lock_key, time.time() + window, timeout=window)
    except RedisError:
        log.exception("sign-in throttle unavailable; a failure went uncounted")


def _increment(key: str, window: int) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # the window ran out between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def record_success(request: HttpRequest, username: str | None) -> None:
    try:
        forget(request, username, address=False)
    except RedisError:
        log.exception("sign-in throttle unavailable; a success went unrecorded")


def forget(request: HttpRequest, username: str | None, *, address: bool) -> None:
    """Drop the account's count and lock (and the address's, if `address`)."""
    counters = [c for c in _counters(request, username) if address or ":account:" in c.key]
    cache.delete_many([key for c in counters for key in (c.key, c.lock_key)])


def message(retry_after: int) -> str:
    minutes = max(1, math.ceil(retry_after / 60))
    return (
        "Too many failed sign-ins for this account or from this address. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )
