"""Whatever the bytes, read_fit returns a consistent RunData or raises FitRejected, and its
summary comes out bounded, in bounded time.

Our own catch-all (FitRejected raised *from* another exception) must never fire here: it exists
for production, and a fuzz case that reaches it is a bug to fix in fit_io. Each case has a
budget: summarise_run raises past MAX_SUMMARY_BYTES, and the read plus summary must use less
than CASE_BUDGET_S of this process's CPU time, about twenty times what the largest input here
(the 80 kB chained triathlon) takes whole (0.13 s). CPU time, not the wall clock: other work on
a shared machine slows the clock but not our count. Coarse on purpose: it catches blow-ups like
issue 10's (34 s for 312 bytes), not a slower machine.
"""

import random
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.core.fit.fit_io import FitRejected, read_fit
from analysis.core.fit.rundata import RunData
from analysis.core.runs import cadence, run_summary
from tests.analysis.fitdata import corpus, fit_bytes

pytestmark = pytest.mark.slow
FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,  # nothing written into the clone
    suppress_health_check=[HealthCheck.too_slow],
)
PER_FILE = settings(FUZZ, max_examples=20)
PREFIX_BYTES = 24_000  # mutations work on a file's start, where definitions and file_id live
CASE_BUDGET_S = 3.0


def _contained(data: bytes) -> None:
    started = time.process_time()
    try:
        run = read_fit(data)
    except FitRejected as exc:
        assert str(exc)
        assert exc.__cause__ is None, f"our catch-all fired: {exc!r}"
    else:
        _consistent(run)
        _bounded(run_summary.summarise_run(run))  # raises SummaryTooLarge past its cap
    assert time.process_time() - started < CASE_BUDGET_S


def _bounded(summary: run_summary.RunSummary) -> None:
    assert run_summary.stored_bytes(summary) <= run_summary.MAX_SUMMARY_BYTES
    assert len(summary.details.get("splits", [])) <= cadence.MAX_SPLITS
    assert len(summary.series.get("t_s", [])) <= run_summary.SERIES_POINTS


def _consistent(run: RunData) -> None:
    """Every series (N,), segments tile the records in order, cadence never both units."""
    r, n = run.records, len(run.records)
    for name in ("distance_m", "speed_mps", "cadence_spm", "cadence_rpm", "lat_deg", "power_w"):
        assert getattr(r, name).shape == (n,)
    assert all(series.shape == (n,) for series in r.developer.values())
    assert np.all(np.diff(r.timestamp_s) >= 0)
    assert run.segments and run.segments[0].record_start == 0
    assert run.segments[-1].record_stop == n
    for a, b in zip(run.segments[:-1], run.segments[1:], strict=True):
        assert a.record_stop == b.record_start
    assert not (np.isfinite(r.cadence_spm) & np.isfinite(r.cadence_rpm)).any()
    assert run.start.tzinfo is not None


def _mutate(data: bytes, seed: int, changes: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(changes):
        at = rng.randrange(len(out))
        kind = rng.random()
        if kind < 0.6:
            out[at] ^= 1 << rng.randrange(8)
        elif kind < 0.8:
            out[at : at + 1] = b""
        else:
            out[at:at] = bytes([rng.randrange(256)])
    return bytes(out)


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    _contained(data)


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from([12, 14]), st.integers(0, 4096))
def test_random_bytes_behind_a_valid_header(body, size, declared):
    header = bytes([size, 0x10]) + (2093).to_bytes(2, "little") + declared.to_bytes(4, "little")
    _contained(header + b".FIT" + bytes(size - 12) + body)


@pytest.mark.parametrize("name", corpus())
@PER_FILE
@given(fraction=st.floats(0, 1))
def test_truncations_of_every_corpus_file(name, fraction):
    data = fit_bytes(name)
    _contained(data[: int(len(data) * fraction)])


@FUZZ
@given(st.sampled_from(corpus()), st.integers(0, 2**32), st.integers(1, 16))
def test_flips_insertions_and_deletions_near_the_start(name, seed, changes):
    _contained(_mutate(fit_bytes(name)[:PREFIX_BYTES], seed, changes))


@settings(FUZZ, max_examples=60)
@given(st.integers(0, 2**32), st.integers(1, 8))
def test_mutations_anywhere_in_the_chained_triathlon(seed, changes):
    _contained(_mutate(fit_bytes("sample_mulitple_header.fit"), seed, changes))


@FUZZ
@given(st.sampled_from(corpus()), st.integers(0, 2**32), st.integers(1, 8))
def test_mutations_anywhere_in_small_files(name, seed, changes):
    data = fit_bytes(name)
    if len(data) > 20_000:
        data = data[:PREFIX_BYTES] + data[-2000:]  # a cut file with its own tail spliced on
    _contained(_mutate(data, seed, changes))
