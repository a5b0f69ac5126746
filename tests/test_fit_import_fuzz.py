"""Random bit flips anywhere in every corpus file, through the whole import (parse, analytics,
database write): each case ends in a clear outcome, a bounded summary, and within its budget.

The budget per case is ten times the file's own clean import, measured once per file here,
and never under MIN_BUDGET_S: coarse on purpose, so that only a blow-up (issue 10: a flipped
bit made 21,475 km of splits) fails it, not a busy machine. Both are this process's CPU time,
which other work on a shared machine does not inflate as it does the wall clock.
"""

import json
import time
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.core.runs import cadence, run_summary
from analysis.fit_import import import_fit_bytes
from club.models import Run, User
from tests.analysis.fitdata import corpus, fit_bytes

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
FLIPS = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MIN_BUDGET_S = 2.0
STATUSES = {"imported", "partial", "rejected"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _timed_import(owner, data: bytes) -> tuple[object, float]:
    started = time.process_time()
    outcome = import_fit_bytes(owner=owner, data=data, filename="flipped.fit")
    return outcome, time.process_time() - started


@cache
def _budget_s(name: str, owner_pk: int) -> float:
    outcome, took = _timed_import(User.objects.get(pk=owner_pk), fit_bytes(name))
    _forget(outcome)
    return max(MIN_BUDGET_S, 10 * took)


def _forget(outcome) -> None:
    """Each case starts from no runs, so no flipped copy is a duplicate of the last."""
    if outcome.run is not None:
        outcome.run.original.delete(save=False)
        Run.objects.filter(pk=outcome.run.pk).delete()


def _flip(data: bytes, bits: list[int]) -> bytes:
    out = bytearray(data)
    for bit in bits:
        at = bit % (len(out) * 8)
        out[at // 8] ^= 1 << (at % 8)
    return bytes(out)


def _check(outcome) -> None:
    assert outcome.status in STATUSES, outcome.as_json()
    if outcome.status == "rejected":
        assert outcome.error and "within bounds" not in outcome.error
        return
    run = outcome.run
    assert len(run.summary.get("splits", [])) <= cadence.MAX_SPLITS
    assert len(run.series.get("t_s", [])) <= run_summary.SERIES_POINTS
    stored = json.dumps([run.summary, run.series, run.warnings]).encode()
    assert len(stored) <= run_summary.MAX_SUMMARY_BYTES


@pytest.mark.parametrize("name", corpus())
@FLIPS
@given(bits=st.lists(st.integers(0, 2**32), min_size=1, max_size=8))
def test_bit_flips_anywhere_through_the_whole_import(personas, name, bits):
    budget = _budget_s(name, personas.member.pk)
    outcome, took = _timed_import(personas.member, _flip(fit_bytes(name), bits))
    try:
        _check(outcome)
        assert took < budget, f"{took:.1f} s against a budget of {budget:.1f} s"
    finally:
        _forget(outcome)
