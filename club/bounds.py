"""Bounds on the values people type, one home each. Forms, serializers and services import
them, so a page and the API refuse the same values with the same words.

Why bounds at all: Python's dates stop at year 9999 and a time zone shift of year 1 falls off
the calendar, so unbounded dates end in OverflowError deep inside a page; texts and lists
without a cap cost storage and render time without limit; ids beyond the database's integer
range fail the query instead of finding nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

EARLIEST_DATE = dt.date(1900, 1, 1)
LONG_TEXT_CHARS = 2000  # notes, descriptions, a drill's purpose
MAX_ID = 2**31 - 1  # the largest id a typed reference can name (a PostgreSQL integer)


def not_before_earliest(value: dt.date) -> None:
    """A validator for any typed date: nothing before 1900 is a date this club logs."""
    if value < EARLIEST_DATE:
        raise ValidationError(
            f"Give a date on or after {EARLIEST_DATE.day} {EARLIEST_DATE:%B %Y}.",
            code="date_too_early",
        )


def id_field_kwargs() -> dict:
    """Keyword arguments of an integer field that names a row by id."""
    return {"min_value": 1, "max_value": MAX_ID}
