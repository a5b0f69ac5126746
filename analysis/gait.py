"""Gait from pose landmarks: gap filling, view, foot contacts, toe-offs, cadence. Pure numpy.

Landmarks follow MediaPipe BlazePose: (T, 33, 4) with x, y, z, visibility; y grows downwards.
Functions here expect x, y and z in the same unit (fractions of the image height): pass
MediaPipe's output through :func:`square_units` first, since it gives x (and z, which MediaPipe
scales like x) as a fraction of the width.
Times `t_s` are (T,) seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NOSE, L_EAR, R_EAR = 0, 7, 8
L_SHOULDER, R_SHOULDER, L_HIP, R_HIP = 11, 12, 23, 24
L_KNEE, R_KNEE, L_ANKLE, R_ANKLE = 25, 26, 27, 28
L_HEEL, R_HEEL, L_TOE, R_TOE = 29, 30, 31, 32
MIN_VISIBILITY = 0.3
# A runner takes at most ~260 steps/min: one foot strikes at most every 0.46 s.
MIN_STRIDE_S = 2 * 60 / 260


def square_units(*, landmarks: np.ndarray, width: int, height: int) -> np.ndarray:
    """x (and z, which MediaPipe scales like x) from fractions of the width to fractions of the
    height, so angles and lengths are true on portrait and landscape clips alike.
    (T, 33, 4) in and out."""
    out = landmarks.copy()
    out[..., 0] *= width / height
    out[..., 2] *= width / height
    return out


def fill_gaps(*, landmarks: np.ndarray, max_gap: int = 5) -> np.ndarray:
    """Interpolate x and y over short runs of missing or barely visible points. (T, 33, 4) in,
    same out; longer gaps stay NaN (a guess over them would be invented data)."""
    out = landmarks.copy()
    hidden = ~np.isfinite(out[..., 0]) | (np.nan_to_num(out[..., 3]) < MIN_VISIBILITY)
    out[..., :2][hidden] = np.nan
    frames = np.arange(out.shape[0])
    for j in range(out.shape[1]):
        for k in (0, 1):
            series = out[:, j, k]
            known = np.isfinite(series)
            if known.sum() < 2:
                continue
            filled = np.interp(frames, frames[known], series[known])
            out[:, j, k] = np.where(_gap_length(known) <= max_gap, filled, series)
    return out


def _gap_length(known: np.ndarray) -> np.ndarray:
    """For each frame, the length of the run of missing frames it belongs to (0 if known)."""
    length = np.zeros(known.shape[0], dtype=int)
    start = None
    for i, ok in enumerate(np.append(known, True)):
        if not ok and start is None:
            start = i
        elif ok and start is not None:
            length[start:i] = i - start
            start = None
    return length


def smooth(*, series: np.ndarray, window: int) -> np.ndarray:
    """Centred moving average along axis 0, NaN-aware; window in frames (odd)."""
    window = max(1, window | 1)
    kernel = np.ones(window)
    finite = np.isfinite(series)
    values = np.where(finite, series, 0.0)
    shape = (-1,) + (1,) * (series.ndim - 1)
    sums = np.apply_along_axis(lambda s: np.convolve(s, kernel, "same"), 0, values)
    counts = np.apply_along_axis(lambda s: np.convolve(s, kernel, "same"), 0, finite.astype(float))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = sums / counts
    return np.where(counts > 0, out, np.nan).reshape(series.shape) if shape else out


@dataclass(frozen=True)
class View:
    name: str  # side | rear | front
    facing: int  # side view: -1 runner faces image-left, +1 image-right; 0 otherwise
    confidence: float  # 0..1


def detect_view(*, landmarks: np.ndarray) -> View:
    """Side, rear or front, from how wide the shoulders and hips look against the torso.

    Side on, the two shoulders nearly overlap; from behind or in front they sit a torso-width
    apart. From behind, the runner's left shoulder is on the image left; from the front, right.
    """
    lm = landmarks
    torso = np.hypot(*(_mid(lm, L_SHOULDER, R_SHOULDER) - _mid(lm, L_HIP, R_HIP)).T)
    width = np.abs(lm[:, L_SHOULDER, 0] - lm[:, R_SHOULDER, 0]) + np.abs(
        lm[:, L_HIP, 0] - lm[:, R_HIP, 0]
    )
    ratio = np.nanmedian(width / (2 * torso))
    if not np.isfinite(ratio):
        return View("side", 0, 0.0)
    if ratio < 0.25:
        return View("side", _facing(lm), float(min(1.0, (0.25 - ratio) / 0.15 + 0.5)))
    seen = np.isfinite(lm[:, L_SHOULDER, 0]) & np.isfinite(lm[:, R_SHOULDER, 0])
    left_first = float(np.mean(lm[seen, L_SHOULDER, 0] < lm[seen, R_SHOULDER, 0]))
    name = "rear" if left_first >= 0.5 else "front"
    agreement = max(left_first, 1 - left_first)
    return View(name, 0, float(min(1.0, (ratio - 0.25) / 0.25 + 0.3) * agreement))


def _mid(lm: np.ndarray, a: int, b: int) -> np.ndarray:
    return (lm[:, a, :2] + lm[:, b, :2]) / 2


def _facing(lm: np.ndarray) -> int:
    """The nose is ahead of the ears in the direction the runner faces."""
    ahead = lm[:, NOSE, 0] - (lm[:, L_EAR, 0] + lm[:, R_EAR, 0]) / 2
    return -1 if np.nanmedian(ahead) < 0 else 1


@dataclass(frozen=True)
class Contacts:
    """One stance event per foot and stride, as times in seconds: the initial contact in a side
    view (:func:`foot_contacts_side`), the foot's lowest moment from behind
    (:func:`foot_contacts_rear`)."""

    left_s: np.ndarray
    right_s: np.ndarray

    @property
    def all_s(self) -> np.ndarray:
        return np.sort(np.concatenate([self.left_s, self.right_s]))


def foot_contacts_side(
    *, landmarks: np.ndarray, t_s: np.ndarray, facing: int, fps: float
) -> Contacts:
    """Initial contact of each foot in a side view: the moment the foot is furthest ahead of
    the hip, which running feet reach just as they touch down. Measured relative to the hip,
    so a treadmill belt or a panning camera does not move it."""
    hip_x = _mid(landmarks, L_HIP, R_HIP)[:, 0]
    leg = _leg_length(landmarks)
    found = {}
    for name, ankle in (("left", L_ANKLE), ("right", R_ANKLE)):
        ahead = facing * (landmarks[:, ankle, 0] - hip_x) / leg
        ahead = smooth(series=ahead, window=max(3, int(fps / 15)))
        peaks = _peaks(ahead, min_gap=int(MIN_STRIDE_S * fps * 0.7))
        found[name] = _refine(t_s, ahead, peaks)
    return Contacts(found["left"], found["right"])


def _refine(t_s: np.ndarray, signal: np.ndarray, peaks: np.ndarray) -> np.ndarray:
    """Sub-frame peak times from a parabola through each peak and its neighbours: at 30 fps a
    whole frame is 2 % of a stride, too coarse for a cadence good to 1 step/min."""
    times = t_s[peaks].astype(float)
    for n, i in enumerate(peaks):
        if 0 < i < len(signal) - 1:
            a, b, c = signal[i - 1], signal[i], signal[i + 1]
            curve = a - 2 * b + c
            if np.isfinite(curve) and curve < 0:
                shift = 0.5 * (a - c) / curve
                times[n] += shift * (t_s[i + 1] - t_s[i - 1]) / 2
    return times


def _leg_length(lm: np.ndarray) -> float:
    """Hip to ankle through the knee, median over the clip, in image-width units."""
    thigh = np.hypot(*(lm[:, L_HIP, :2] - lm[:, L_KNEE, :2]).T)
    shank = np.hypot(*(lm[:, L_KNEE, :2] - lm[:, L_ANKLE, :2]).T)
    return float(np.nanmedian(thigh + shank)) or 1.0


def _peaks(signal: np.ndarray, *, min_gap: int) -> np.ndarray:
    """Local maxima that stand above the signal's midline, at least `min_gap` frames apart
    (the higher one wins)."""
    s = np.nan_to_num(signal, nan=-np.inf)
    middle = np.nanmedian(signal)
    candidates = [
        i for i in range(1, len(s) - 1) if s[i] >= s[i - 1] and s[i] > s[i + 1] and s[i] > middle
    ]
    chosen: list[int] = []
    for i in sorted(candidates, key=lambda k: -s[k]):
        if all(abs(i - j) >= min_gap for j in chosen):
            chosen.append(i)
    return np.array(sorted(chosen), dtype=int)


def stride_periods_s(*, contacts: Contacts) -> np.ndarray:
    """Each foot's contact-to-contact intervals, without the ones far from the typical stride
    (a missed contact doubles an interval; a pose-model left/right swap halves one)."""
    periods = np.concatenate(
        [np.diff(c) for c in (contacts.left_s, contacts.right_s) if c.size >= 2] or [np.zeros(0)]
    )
    if periods.size == 0:
        return periods
    typical = np.median(periods)
    return periods[(periods > 0.75 * typical) & (periods < 1.33 * typical)]


def cadence_spm(*, contacts: Contacts) -> float | None:
    """Steps per minute: two steps per stride, over the mean of the clean stride periods."""
    periods = stride_periods_s(contacts=contacts)
    if periods.size < 2:
        return None
    return 2 * 60.0 / float(np.mean(periods))


def touchdown_frames(
    *, landmarks: np.ndarray, reach_frames: np.ndarray, side: str, fps: float, leg: float
) -> np.ndarray:
    """Initial contact frames: after each forward reach, the first frame the foot's lowest point
    (heel or toe) is down at ground level (within 4 % of leg length of the lowest it gets). The
    foot reaches furthest forward late in swing, a frame or three before it lands."""
    foot_y = _foot_low_y(landmarks, side)
    ground = _ground_y(foot_y, leg)
    window = int(0.25 * fps)
    out = []
    for frame in reach_frames:
        later = np.flatnonzero(foot_y[frame : frame + window] >= ground)
        if later.size:
            out.append(frame + int(later[0]))
    return np.array(out, dtype=int)


def _foot_low_y(lm: np.ndarray, side: str) -> np.ndarray:
    """(T,) the foot's lowest point (heel or toe, whichever is lower in the picture)."""
    heel, toe = (L_HEEL, L_TOE) if side == "left" else (R_HEEL, R_TOE)
    return np.fmax(lm[:, heel, 1], lm[:, toe, 1])


def _ground_y(foot_y: np.ndarray, leg: float) -> float:
    """Ground level with room for pose jitter: 4 % of leg length above where the foot usually
    rests (the 95th percentile, so a few wild frames below the floor do not set it)."""
    return float(np.nanpercentile(foot_y, 95) - 0.04 * leg)


# Running stance lasts about 0.15-0.35 s; a foot seen "down" for longer is lost, not standing.
MAX_STANCE_S = 0.5


@dataclass(frozen=True)
class Stances:
    """One foot's stances, paired: stance i runs from contact_at[i] (initial contact) to
    toe_off_at[i]. Both (N,) float frame positions, between two frames where the foot's
    lowest point crosses the ground line: at 30 fps a whole frame is 15 % of a stance."""

    contact_at: np.ndarray
    toe_off_at: np.ndarray

    @property
    def midstance_at(self) -> np.ndarray:
        """(N,) the middle of each stance in time, the moment of full load."""
        return (self.contact_at + self.toe_off_at) / 2.0

    def contact_time_s(self, *, fps: float) -> np.ndarray:
        """(N,) ground contact time of each stance, contact to toe-off."""
        return (self.toe_off_at - self.contact_at) / fps

    def toe_off_s(self, *, t_s: np.ndarray) -> np.ndarray:
        """(N,) toe-off times in seconds on the clip's clock."""
        return np.interp(self.toe_off_at, np.arange(len(t_s)), t_s)


def toe_off_frames(
    *, landmarks: np.ndarray, contact_frames: np.ndarray, side: str, fps: float, leg: float
) -> np.ndarray:
    """(N,) for each initial-contact frame, the first later frame in which the foot's lowest
    point has risen above ground level: the toes have left. -1 where that is not seen before
    the foot's next contact or within MAX_STANCE_S."""
    foot_y = _foot_low_y(landmarks, side)
    ground = _ground_y(foot_y, leg)
    ends = np.append(contact_frames[1:], len(foot_y))[: len(contact_frames)]
    out = np.full(len(contact_frames), -1, dtype=int)
    for n, (start, end) in enumerate(zip(contact_frames, ends, strict=True)):
        stop = min(int(end), int(start + MAX_STANCE_S * fps) + 1)
        lifted = np.flatnonzero(foot_y[start + 1 : stop] < ground)
        if lifted.size:
            out[n] = start + 1 + int(lifted[0])
    return out


def stances(
    *, landmarks: np.ndarray, reach_frames: np.ndarray, side: str, fps: float, leg: float
) -> Stances:
    """One foot's stances in a side view: initial contact after each forward reach (see
    :func:`touchdown_frames`) paired with the toe-off that ends it; a contact whose toe-off
    is not seen is left out rather than given a guessed end."""
    contact = np.unique(
        touchdown_frames(
            landmarks=landmarks, reach_frames=reach_frames, side=side, fps=fps, leg=leg
        )
    )
    toe_off = toe_off_frames(
        landmarks=landmarks, contact_frames=contact, side=side, fps=fps, leg=leg
    )
    kept = toe_off >= 0
    foot_y = _foot_low_y(landmarks, side)
    ground = _ground_y(foot_y, leg)
    return Stances(
        _crossing(foot_y, ground, contact[kept]), _crossing(foot_y, ground, toe_off[kept])
    )


def _crossing(foot_y: np.ndarray, ground: float, frames: np.ndarray) -> np.ndarray:
    """(N,) where, between frame - 1 and frame, the foot crossed the ground line, by linear
    interpolation of its height; the frame itself where the frame before is not known."""
    out = frames.astype(float)
    for n, frame in enumerate(frames):
        if frame > 0:
            before, after = foot_y[frame - 1] - ground, foot_y[frame] - ground
            if np.isfinite(before * after) and before != after and before * after <= 0:
                out[n] = frame - 1 + before / (before - after)
    return out


def duty_factor_pct(*, contact_time_s: np.ndarray, stride_s: np.ndarray) -> float | None:
    """Share of the stride a foot spends on the ground (median contact time over median
    stride). Running has no double support, so a true value stays below 50 %."""
    if contact_time_s.size == 0 or stride_s.size == 0:
        return None
    return 100.0 * float(np.median(contact_time_s) / np.median(stride_s))


def leg_length_per_frame(*, landmarks: np.ndarray, fps: float) -> np.ndarray:
    """(T,) leg length in each frame, for a runner whose size in the picture changes (running
    away from the camera). Built on the torso, which keeps its length through the stride while
    a leg swinging towards the camera looks short: torso smoothed over a second, times the
    clip's median ratio of the longer-looking leg to the torso."""
    lm = landmarks
    torso = np.hypot(*(_mid(lm, L_SHOULDER, R_SHOULDER) - _mid(lm, L_HIP, R_HIP)).T)
    legs = [
        np.hypot(*(lm[:, hip, :2] - lm[:, knee, :2]).T)
        + np.hypot(*(lm[:, knee, :2] - lm[:, ankle, :2]).T)
        for hip, knee, ankle in ((L_HIP, L_KNEE, L_ANKLE), (R_HIP, R_KNEE, R_ANKLE))
    ]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.nanmedian(np.fmax(*legs) / torso)
    return smooth(series=torso, window=int(fps)) * ratio


def foot_contacts_rear(*, landmarks: np.ndarray, t_s: np.ndarray, fps: float) -> Contacts:
    """Stance events of each foot seen from behind: the moment the foot is lowest in the
    picture against the other foot, which is then lifted behind the runner in mid-swing (so
    the event falls near midstance, not at initial contact). The difference of the two ankles
    cancels the body's bounce; dividing by the leg length in each frame keeps a runner who
    shrinks into the distance on one scale."""
    leg = leg_length_per_frame(landmarks=landmarks, fps=fps)
    lower = (landmarks[:, L_ANKLE, 1] - landmarks[:, R_ANKLE, 1]) / leg
    lower = smooth(series=lower, window=max(3, int(fps / 15)))
    found = {}
    for name, signal in (("left", lower), ("right", -lower)):
        peaks = _peaks(signal, min_gap=int(MIN_STRIDE_S * fps * 0.7))
        found[name] = _refine(t_s, signal, peaks)
    return Contacts(found["left"], found["right"])


def whole_body_pct(*, landmarks: np.ndarray) -> float:
    """Share of frames (percent) where head and both feet are seen inside the picture.
    Expects MediaPipe's own units (x and y as fractions of the frame)."""
    if landmarks.shape[0] == 0:
        return 0.0
    parts = landmarks[:, [NOSE, L_ANKLE, R_ANKLE, L_HEEL, R_HEEL], :]
    with np.errstate(invalid="ignore"):
        inside = (
            (parts[..., 0] >= 0)
            & (parts[..., 0] <= 1)
            & (parts[..., 1] >= 0)
            & (parts[..., 1] <= 1)
        )
        seen = inside & (parts[..., 3] >= 0.5)
    return float(100.0 * np.mean(seen.all(axis=1)))
