"""Where to go next, when the address comes from the request: only ever somewhere on this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, candidate: str | None, fallback: str) -> str:
    """`candidate` (a `next` parameter, a Referer) if it points at this host over the same or
    a safer scheme, else the URL of `fallback` (a view name or a path)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(fallback)
