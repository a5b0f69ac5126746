"""The improvement ranking on constructed histories: noise, missing data, ties and views."""

import datetime as dt

from analysis.core.metrics import SCORE_MDC
from club.life.ranking import Sample, closeness, improvement_board

NOW = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
START = NOW - dt.timedelta(weeks=8)
NAMES = {1: "Ann", 2: "Ben", 3: "Cat", 4: "Dan"}


def _s(member, weeks_ago, score, view="side"):
    return Sample(member, view, NOW - dt.timedelta(weeks=weeks_ago), score)


def _board(samples, names=NAMES):
    return improvement_board(samples, members=names, start=START)


def test_the_largest_gain_ranks_first_and_the_baseline_may_predate_the_period():
    board = _board([_s(1, 10, 50), _s(1, 1, 70), _s(2, 6, 60), _s(2, 1, 70)])
    assert [(rank, e.member_id, e.change) for rank, e in board.ranked] == [(1, 1, 20), (2, 2, 10)]


def test_the_baseline_is_the_last_before_the_period_not_the_first():
    board = _board([_s(1, 30, 20), _s(1, 10, 60), _s(1, 1, 70)], {1: "Ann"})
    assert board.ranked[0][1].baseline == 60


def test_a_change_within_the_noise_is_steady_and_never_ranked():
    within = 60 + SCORE_MDC * 0.9  # the measured minimal detectable change, not a fixed 5
    board = _board([_s(1, 6, 60), _s(1, 1, within), _s(2, 6, 60), _s(2, 1, 70)])
    assert [(rank, e.member_id, e.trend) for rank, e in board.ranked] == [
        (1, 2, "improving"),
        (None, 1, "steady"),
    ]


def test_a_fall_beyond_the_noise_comes_last_without_a_rank():
    board = _board([_s(1, 6, 80), _s(1, 1, 60), _s(2, 6, 60), _s(2, 1, 62)])
    assert [(e.member_id, e.trend) for _, e in board.ranked] == [(2, "steady"), (1, "declining")]
    assert all(rank is None for rank, _ in board.ranked)


def test_ties_break_on_the_number_of_analyses():
    board = _board([_s(1, 6, 60), _s(1, 1, 70), _s(2, 7, 60), _s(2, 4, 65), _s(2, 1, 70)])
    assert [(rank, e.member_id) for rank, e in board.ranked] == [(1, 2), (2, 1)]


def test_equal_change_and_count_share_a_rank():
    board = _board([_s(1, 6, 60), _s(1, 1, 70), _s(2, 6, 50), _s(2, 1, 60)])
    assert [rank for rank, _ in board.ranked] == [1, 1]


def test_members_without_enough_data_are_listed_apart_with_what_they_need():
    board = _board([_s(1, 6, 60), _s(1, 1, 70), _s(2, 3, 60), _s(3, 12, 50)])
    needs = {m.member_id: m.need for m in board.missing}
    assert set(needs) == {2, 3, 4}
    assert "one more analysis" in needs[2]
    assert "new analysis" in needs[3]
    assert "two analyses" in needs[4]


def test_views_are_never_mixed():
    board = _board([_s(1, 6, 40, "side"), _s(1, 1, 90, "rear")], {1: "Ann"})
    assert board.ranked == [] and len(board.missing) == 1


def test_the_view_with_more_analyses_is_the_one_ranked():
    samples = [_s(1, 6, 40, "rear"), _s(1, 1, 90, "rear")]
    samples += [_s(1, 7, 60, "side"), _s(1, 4, 62, "side"), _s(1, 1, 70, "side")]
    ((_, entry),) = _board(samples, {1: "Ann"}).ranked
    assert (entry.view, entry.change) == ("side", 10)


def test_a_sample_without_a_value_does_not_count():
    board = _board([_s(1, 6, None), _s(1, 1, 70)], {1: "Ann"})
    assert board.ranked == []


def test_closeness_to_a_band_is_zero_inside_and_negative_distance_outside():
    assert closeness(175, good=(170, 180)) == 0
    assert closeness(160, good=(170, 180)) == -10
    assert closeness(20.0, good=(float("-inf"), 8)) == -12
