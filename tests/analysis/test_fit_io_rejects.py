"""What is not an importable activity is rejected with a reason; damage keeps what was read."""

import gzip

import numpy as np
import pytest

from analysis.core.fit import fit_io
from analysis.core.fit.fit_io import FitRejected, read_fit
from tests.analysis import fitwriter as w
from tests.analysis.fitdata import fit_bytes

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


@pytest.mark.parametrize(
    "name,reason",
    [
        ("Settings.fit", "this FIT file is a settings file, not an activity recording"),
        ("WorkoutRepeatSteps.fit", "this FIT file is a workout file, not an activity recording"),
    ],
)
def test_non_activity_fit_files_are_rejected_by_type(name, reason):
    with pytest.raises(FitRejected) as caught:
        read_fit(fit_bytes(name))
    assert str(caught.value) == reason


def test_other_file_types_are_named_too():
    with pytest.raises(FitRejected, match="is a course file, not an activity"):
        read_fit(w.fit_file(w.message(0, {0: ("B", 6)})))  # file_id.type 6: course


def test_corrupt_chained_header_is_rejected():
    """An activity followed by a settings file whose signature reads '.GIT'."""
    with pytest.raises(FitRejected) as caught:
        read_fit(fit_bytes("activity-settings-corruptheader.fit"))
    assert str(caught.value) == (
        "the FIT header is corrupt: the file chained at byte 771 has no '.FIT' signature"
    )


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"", "the file is empty"),
        (None, "not a FIT file (expected bytes, got NoneType)"),
        (b"just some text, not a watch file", "not a FIT file (no '.FIT' signature"),
        (PNG_HEADER, "not a FIT file (no '.FIT' signature"),
        (b".FIT", "not a FIT file"),
        (gzip.compress(b"hello, not a FIT file"), "not a FIT file"),
        (gzip.compress(b""), "the file is empty once unzipped"),
        (b"\x1f\x8b\x08\x00broken", "the gzip data is corrupt"),
        (gzip.compress(fit_bytes("garmin-fenix-5-run.fit"))[:-20], "the gzip data is corrupt"),
        (
            bytes([13]) + fit_bytes("garmin-fenix-5-run.fit")[1:],
            "header is corrupt (header size 13",
        ),
    ],
)
def test_unreadable_input_is_rejected_with_a_reason(data, reason):
    with pytest.raises(FitRejected) as caught:
        read_fit(data)
    assert reason in str(caught.value)


def test_a_gzip_bomb_stops_at_the_size_cap(monkeypatch):
    monkeypatch.setattr(fit_io, "MAX_FIT_BYTES", 1000)
    with pytest.raises(FitRejected, match="too large"):
        read_fit(gzip.compress(bytes(5000)))
    with pytest.raises(FitRejected, match="too large"):
        read_fit(fit_bytes("garmin-fenix-5-run.fit"))  # 5.6 kB, unzipped already


def test_gzipped_file_reads_the_same():
    plain = read_fit(fit_bytes("garmin-fenix-5-run.fit"))
    zipped = read_fit(gzip.compress(fit_bytes("garmin-fenix-5-run.fit")))
    assert np.array_equal(plain.records.timestamp_s, zipped.records.timestamp_s)
    assert np.array_equal(plain.records.cadence_spm, zipped.records.cadence_spm, equal_nan=True)


def test_truncated_activity_keeps_records_read_before_the_cut():
    run = read_fit(fit_bytes("activity-unexpected-eof.fit"))
    assert run.partial and len(run.records) == 14
    assert run.warnings[0] == "the file ends early after 14 records; kept what was read"


def test_cutting_a_good_file_in_half_keeps_the_first_half():
    data = fit_bytes("activity-small-fenix2-run.fit")
    whole = read_fit(data)
    half = read_fit(data[: len(data) // 2])
    assert half.partial and 0 < len(half.records) < len(whole.records)
    n = len(half.records)
    assert "ends early after" in half.warnings[0]
    assert np.array_equal(half.records.timestamp_s, whole.records.timestamp_s[:n])
    assert np.array_equal(half.records.cadence_spm, whole.records.cadence_spm[:n], equal_nan=True)


def test_a_file_cut_before_its_first_record_is_rejected():
    with pytest.raises(FitRejected, match="no activity records in the file .it ends early"):
        read_fit(fit_bytes("garmin-fenix-5-run.fit")[:200])


def test_a_damaged_middle_ends_the_read_there():
    """A data-message header for a local type never defined, after five records."""
    t0 = w.fit_time(1_700_000_000)
    records = [w.record(t0 + s, cadence=80) for s in range(10)]
    damaged = w.fit_file(w.file_id(), *records[:5], b"\x0f", *records[5:])
    run = read_fit(damaged)
    assert run.partial and len(run.records) == 5
    assert run.warnings[0] == (
        "the file is damaged after 5 records (FitParseError: Got data message with invalid "
        "local message type 15); kept what was read"
    )


def test_a_run_cut_before_its_summary_keeps_its_cadence():
    """The Fenix 2 names its sport only in the session at the end; running dynamics tell."""
    data = fit_bytes("activity-small-fenix2-run.fit")
    whole, half = read_fit(data), read_fit(data[: len(data) // 2])
    n = len(half.records)
    assert [(s.sport, s.record_start, s.record_stop) for s in half.segments] == [("running", 0, n)]
    assert np.array_equal(half.records.cadence_spm, whole.records.cadence_spm[:n], equal_nan=True)
    assert half.warnings[1:] == [
        "the file has no session summary; figures come from its records",
        "the file names no sport; its running dynamics say a run",
    ]


def test_bad_checksum_warns_but_imports():
    data = bytearray(fit_bytes("garmin-fenix-5-run.fit"))
    data[-1] ^= 0xFF
    run = read_fit(bytes(data))
    assert not run.partial and len(run.records) == 21
    assert run.warnings == ["the file's checksum does not match; imported anyway"]


def test_missing_checksum_warns_but_imports_whole():
    for cut in (1, 2):
        run = read_fit(fit_bytes("garmin-fenix-5-run.fit")[:-cut])
        assert not run.partial and len(run.records) == 21
        assert run.warnings == ["the file's checksum is missing"]


def test_zero_padding_after_the_data_is_ignored():
    run = read_fit(fit_bytes("garmin-fenix-5-run.fit") + bytes(512))
    assert not run.partial and len(run.records) == 21
    assert run.warnings == ["ignored 512 bytes after the end of the FIT data"]


def test_junk_after_the_data_is_a_broken_chain():
    data = fit_bytes("garmin-fenix-5-run.fit")
    with pytest.raises(FitRejected, match=f"chained at byte {len(data)} has no '.FIT'"):
        read_fit(data + b"some trailing junk, not zeros")


def test_no_exception_but_fit_rejected_escapes_our_own_code(monkeypatch, caplog):
    """A bug of ours becomes FitRejected with the exception named, and is logged loudly."""

    def broken(*args, **kwargs):
        raise ZeroDivisionError("our bug")

    monkeypatch.setattr(fit_io, "_segments", broken)
    with pytest.raises(FitRejected) as caught:
        read_fit(fit_bytes("garmin-fenix-5-run.fit"))
    assert str(caught.value) == "the file is damaged: ZeroDivisionError: our bug"
    assert isinstance(caught.value.__cause__, ZeroDivisionError)
    assert "read_fit failed" in caplog.text and "Traceback" in caplog.text


def test_a_chain_of_too_many_files_is_rejected():
    one_run = w.fit_file(w.file_id(), w.record(w.fit_time(1_700_000_000)))
    assert len(read_fit(one_run + w.fit_file() * 200).records) == 1
    with pytest.raises(FitRejected, match="chains more than 256 FIT files"):
        read_fit(one_run + w.fit_file() * 100_000)
