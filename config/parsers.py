"""The API's JSON parser: what DRF's does, plus a bound on nesting and a fixed top-level shape.

Python's decoder recurses once per bracket, so 100,000 nested brackets used to end in a
RecursionError (a 500). Every JSON body our endpoints take is one object of plain fields (the
deepest, a drill's stages, is three levels), so anything deeper than MAX_JSON_DEPTH is refused
with a 400 like any other malformed body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 20


def json_depth_exceeds(value: object, limit: int) -> bool:
    """True when `value` nests lists and objects more than `limit` deep (no recursion here:
    the check must not fail the way the decoder did)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONParser(JSONParser):
    """Refuses bodies nested beyond MAX_JSON_DEPTH and bodies that are not a JSON object."""

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> Mapping:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self._too_deep()) from None
        if not isinstance(data, dict):
            raise ParseError("JSON parse error - the body must be a JSON object ({...}).")
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(self._too_deep())
        return data

    @staticmethod
    def _too_deep() -> str:
        return f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels."
