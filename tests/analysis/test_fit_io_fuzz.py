"""Whatever the bytes, read_fit returns RunData or raises FitRejected: nothing else escapes."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.fit_io import FitRejected, read_fit
from analysis.rundata import RunData
from tests.analysis.fitdata import corpus, fit_bytes

pytestmark = pytest.mark.slow
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL = [n for n in corpus() if len(fit_bytes(n)) < 30_000]


def _contained(data: bytes) -> None:
    try:
        assert isinstance(read_fit(data), RunData)
    except FitRejected as exc:
        assert str(exc)


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    _contained(data)


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from([12, 14]))
def test_random_bytes_behind_a_valid_header(body, size):
    header = bytes([size, 0x10]) + (2000).to_bytes(2, "little") + len(body).to_bytes(4, "little")
    _contained(header + b".FIT" + bytes(size - 12) + body)


@FUZZ
@given(st.sampled_from(corpus()), st.floats(0, 1))
def test_truncations_of_the_corpus(name, fraction):
    data = fit_bytes(name)
    _contained(data[: int(len(data) * fraction)])


@FUZZ
@given(st.sampled_from(SMALL), st.integers(0, 2**32), st.integers(1, 12))
def test_flipped_and_inserted_bytes(name, seed, changes):
    rng = random.Random(seed)
    data = bytearray(fit_bytes(name))
    for _ in range(changes):
        at = rng.randrange(len(data))
        if rng.random() < 0.7:
            data[at] ^= 1 << rng.randrange(8)
        else:
            data[at:at] = bytes([rng.randrange(256)])
    _contained(bytes(data))
