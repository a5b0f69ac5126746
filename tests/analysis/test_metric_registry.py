"""One registry defines every metric: every metric a report can hold is in it with a plain
label, a unit and a noise; every band has a source; every advice names catalogue drills."""

import math

from analysis.core import metrics as registry
from analysis.core.video import gait, video_report
from coaching.catalogue import DRILLS
from tests.analysis.synthetic_runner import FPS, rear_runner, side_runner


def test_every_reported_metric_is_in_the_registry():
    side, t, _ = side_runner()
    rear, t_rear = rear_runner(foot_out=0.03, sway=0.01, twist_deg=(6.0, 3.0))
    names = set(video_report._gait_report(side, t, gait.View("side", -1, 1.0), FPS)["metrics"])
    names |= set(video_report._gait_report(rear, t_rear, gait.View("rear", 0, 1.0), FPS)["metrics"])
    assert names <= set(registry.REGISTRY), names - set(registry.REGISTRY)
    assert {"arm_swing_deg", "step_width_pct_leg", "knee_flexion_stance_peak_deg"} <= names


def test_every_metric_has_a_label_unit_view_and_noise():
    for m in registry.METRICS:
        assert m.label and m.label[0].isupper() and "_" not in m.label, m.key
        assert m.unit and m.view in ("side", "rear", "both") and m.read_at, m.key
        assert m.noise > 0 and math.isfinite(m.noise), m.key


def test_every_band_has_a_source_and_a_warn_band_around_the_good_one():
    for key in registry.BANDED:
        band = registry.REGISTRY[key].band
        assert len(band.source) > 10, key
        assert band.warn[0] <= band.good[0] and band.good[1] <= band.warn[1], key


def test_knee_and_trunk_bands_come_from_the_literature():
    contact = registry.REGISTRY["knee_flexion_contact_deg"].band
    peak = registry.REGISTRY["knee_flexion_stance_peak_deg"].band
    assert contact.good == (13.8, 21.8) and "Heiderscheit" in contact.source  # 17.8 +/- 4.0
    assert peak.good == (41.8, 50.8) and "46.3" in peak.source  # 46.3 +/- 4.5
    assert registry.REGISTRY["trunk_lean_deg"].band.good == (4, 11)  # Teng & Powers 2015


def test_every_advice_has_a_message_a_cue_and_catalogue_drills():
    slugs = {d.slug for d in DRILLS}
    for m in registry.METRICS:
        if m.advice:
            assert m.advice.cue and (m.advice.low or m.advice.high), m.key
            assert m.advice.drills and set(m.advice.drills) <= slugs, m.key


def test_boards_are_banded_metrics():
    assert registry.BOARDS and all(registry.REGISTRY[k].band for k in registry.BOARDS)


def test_a_key_the_registry_does_not_know_reads_as_words():
    assert registry.label("some_old_metric_deg") == "An earlier measure"


def test_the_minimal_detectable_change_follows_from_the_noise():
    sem = registry.REGISTRY["cadence_spm"].noise
    assert registry.mdc95("cadence_spm") == sem * 1.96 * math.sqrt(2)
    assert registry.SCORE_MDC == round(registry.SCORE_REPEATABILITY.mdc95, 1)
