"""The API's pagination: DRF's limit and offset, with the limit capped so that no typed number
reaches the database beyond what it can hold (a limit of 2**63 was a 500)."""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

MAX_PAGE_SIZE = 200


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_PAGE_SIZE
