"""Gait from pose landmarks: gap filling, view, foot contacts, toe-offs, cadence. Pure numpy.

Landmarks follow MediaPipe BlazePose: (T, 33, 4) with x, y, z, visibility; y grows downwards.
Functions here expect x, y and z in the same unit (fractions of the image height): pass
MediaPipe's output through :func:`square_units` first, since it gives x (and z, which MediaPipe
scales like x) as a fraction of the width.
Times `t_s` are (T,) seconds.
"""

from __future__ import annotations

import warnings
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


# A point further than this from the median of its five-frame neighbourhood has jumped, not
# moved: the pose model put it on another limb for a frame or two (leg lengths).
GLITCH_LEG = 0.2


def drop_glitches(*, landmarks: np.ndarray) -> np.ndarray:
    """(T, 33, 4) in and out: points that jump away for one or two frames and come back (a
    pose model swapping or merging the legs) set to NaN, for :func:`fill_gaps` to bridge. A
    real limb moves smoothly: over five frames the middle one stays near their median even
    in a fast swing (at most about a third of a leg length per frame)."""
    out = landmarks.copy()
    if len(out) < 5:
        return out
    windows = np.lib.stride_tricks.sliding_window_view(out[..., :2], 5, axis=0)
    with warnings.catch_warnings():  # a point unseen for five frames has no median: fine
        warnings.simplefilter("ignore", RuntimeWarning)
        centre = np.nanmedian(windows, axis=-1)  # (T - 4, 33, 2)
    with np.errstate(invalid="ignore"):
        off = np.hypot(*(out[2:-2, :, :2] - centre).transpose(2, 0, 1))
        jumped = off > GLITCH_LEG * leg_length(landmarks=landmarks)
    out[2:-2, :, :2][jumped] = np.nan
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


def reach_frames(*, landmarks: np.ndarray, facing: int, fps: float, side: str) -> np.ndarray:
    """(N,) frames at which one foot is furthest ahead of the hip: once per stride, in late
    swing, a few frames before the foot lands. Relative to the hip, so a treadmill belt or a
    panning camera does not move them; they anchor the search for each stance."""
    hip_x = _mid(landmarks, L_HIP, R_HIP)[:, 0]
    ankle = L_ANKLE if side == "left" else R_ANKLE
    ahead = facing * (landmarks[:, ankle, 0] - hip_x) / leg_length(landmarks=landmarks)
    ahead = smooth(series=ahead, window=max(3, int(fps / 15)))
    return _peaks(ahead, min_gap=int(MIN_STRIDE_S * fps * 0.7))


def foot_contacts_side(
    *, landmarks: np.ndarray, t_s: np.ndarray, facing: int, fps: float
) -> Contacts:
    """Initial contact of each foot in a side view, in seconds on the clip's clock (see
    :func:`side_stances`)."""
    frames = np.arange(len(t_s))
    found = {
        side: np.interp(
            side_stances(landmarks=landmarks, facing=facing, fps=fps, side=side).contact_at,
            frames,
            t_s,
        )
        for side in ("left", "right")
    }
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


def leg_length(*, landmarks: np.ndarray) -> float:
    """Hip to ankle through the knee, median over the clip and both legs, in the landmarks'
    units: the one length every "% leg" of the gait and posture metrics is a share of."""
    lengths = [
        np.hypot(*(landmarks[:, hip, :2] - landmarks[:, knee, :2]).T)
        + np.hypot(*(landmarks[:, knee, :2] - landmarks[:, ankle, :2]).T)
        for hip, knee, ankle in ((L_HIP, L_KNEE, L_ANKLE), (R_HIP, R_KNEE, R_ANKLE))
    ]
    return float(np.nanmedian(np.concatenate(lengths))) or 1.0


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


STRIDE_SPREAD = 1.15


def stride_periods_s(*, contacts: Contacts) -> np.ndarray:
    """Each foot's contact-to-contact intervals, without the ones more than STRIDE_SPREAD away
    from the typical stride (a missed contact doubles an interval, a misplaced one shortens one
    and lengthens the next; steady running varies by a few percent)."""
    periods = np.concatenate(
        [np.diff(c) for c in (contacts.left_s, contacts.right_s) if c.size >= 2] or [np.zeros(0)]
    )
    if periods.size == 0:
        return periods
    typical = np.median(periods)
    return periods[(periods > typical / STRIDE_SPREAD) & (periods < typical * STRIDE_SPREAD)]


def cadence_spm(*, contacts: Contacts) -> float | None:
    """Steps per minute: two steps per stride, over the mean of the clean stride periods."""
    periods = stride_periods_s(contacts=contacts)
    if periods.size < 2:
        return None
    return 2 * 60.0 / float(np.mean(periods))


# Running stance lasts about 0.1-0.35 s; a foot seen "down" for longer is lost, not standing.
MIN_STANCE_S, MAX_STANCE_S = 0.1, 0.5
# Initial contact: the heel has stopped its swing and travels with the ground, at 75 % or more
# of the ground's speed under the runner (the hand annotation's rule).
CONTACT_SPEED_SHARE = 0.75
# Toe-off: the toe rises out of its stance jitter, two standard deviations above its level.
TOE_OFF_NOISE_SDS = 2.0
MIN_HEIGHT_NOISE = 0.005  # leg lengths: a floor for noise-free (synthetic) landmarks
# A velocity crossing counts as landing only with the foot near the ground (leg lengths).
LANDING_HEIGHT = 0.15


@dataclass(frozen=True)
class Stances:
    """One foot's stances: stance i runs from contact_at[i] (initial contact) to toe_off_at[i]
    (NaN where the toe-off was not seen). Both (N,) fractional frame positions: an event falls
    between two frames, and at 30 fps a whole frame is 10-15 % of a stance."""

    contact_at: np.ndarray
    toe_off_at: np.ndarray

    @property
    def paired(self) -> np.ndarray:
        """(N,) bool: stances whose toe-off was seen."""
        return np.isfinite(self.toe_off_at)

    @property
    def midstance_at(self) -> np.ndarray:
        """(N,) the middle of each stance in time, the moment of full load (NaN if unpaired)."""
        return (self.contact_at + self.toe_off_at) / 2.0

    def contact_time_s(self, *, fps: float) -> np.ndarray:
        """(M,) ground contact time of each paired stance, contact to toe-off."""
        return (self.toe_off_at - self.contact_at)[self.paired] / fps

    def toe_off_s(self, *, t_s: np.ndarray) -> np.ndarray:
        """(M,) toe-off times in seconds on the clip's clock, paired stances only."""
        return np.interp(self.toe_off_at[self.paired], np.arange(len(t_s)), t_s)


@dataclass(frozen=True)
class FootMotion:
    """One foot in a side view, in leg lengths and frames. Heights are above the foot's ground
    line (positive = up). Velocities are forward, in the running direction, relative to the
    hip, and sample k is the motion from frame k to k + 1: relative to the hip a planted foot
    slides backwards at the runner's speed whether the camera is fixed, pans with the runner
    or films a treadmill. `speed` is that speed, leg lengths per frame."""

    heel_height: np.ndarray  # (T,)
    toe_height: np.ndarray  # (T,)
    heel_velocity: np.ndarray  # (T - 1,)
    speed: float
    toe_noise: float  # standard deviation of the toe's height while it is planted

    @property
    def heel_speed_share(self) -> np.ndarray:
        """(T - 1,) the heel's velocity over the ground as a share of the runner's speed:
        about 0 while planted, 1 and more while it swings forward."""
        return self.heel_velocity / self.speed + 1.0


def foot_motion(*, landmarks: np.ndarray, facing: int, side: str) -> FootMotion:
    """Heel and toe of one foot against a ground line fitted to the foot's own stance phases.

    Stance frames are found by iteration: the lowest 30 % of the foot's positions first, then
    the frames where heel or toe is within 6 % leg of its line and the foot moves within half
    the runner's speed of a planted foot. The ground is a straight line y = a + b x per
    landmark: a belt seen from above recedes, so its height in the picture depends on x."""
    leg = leg_length(landmarks=landmarks)
    heel, toe = (L_HEEL, L_TOE) if side == "left" else (R_HEEL, R_TOE)
    hip = smooth(series=_mid(landmarks, L_HIP, R_HIP)[:, 0], window=3)
    forward = {j: facing * (landmarks[:, j, 0] - hip) / leg for j in (heel, toe)}
    x = {j: landmarks[:, j, 0] / leg for j in (heel, toe)}
    y = {j: landmarks[:, j, 1] / leg for j in (heel, toe)}
    velocity = np.gradient((forward[heel] + forward[toe]) / 2)
    low = np.fmax(y[heel], y[toe])
    planted = low >= np.nanpercentile(low, 70) if np.isfinite(low).any() else np.isfinite(low)
    for _ in range(4):
        speed = max(-_median_or(velocity[planted], 0.0), 1e-6)
        heights = {j: _line_height(x[j], y[j], planted) for j in (heel, toe)}
        near = np.fmin(heights[heel], heights[toe]) < 0.06
        planted = near & (np.abs(velocity + speed) < 0.5 * speed)
    toe_planted = heights[toe][planted & np.roll(planted, 1) & np.roll(planted, -1)]
    level = _median_or(toe_planted, 0.0)
    noise = 1.4826 * _median_or(np.abs(toe_planted - level), 0.0)
    return FootMotion(
        heel_height=heights[heel],
        toe_height=heights[toe] - level,
        heel_velocity=np.diff(forward[heel]),
        speed=speed,
        toe_noise=max(noise, MIN_HEIGHT_NOISE),
    )


def _median_or(values: np.ndarray, default: float) -> float:
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else default


def _line_height(x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(T,) height of points above the least-squares line through the masked ones (y down)."""
    use = mask & np.isfinite(x) & np.isfinite(y)
    if use.sum() < 3:
        return np.full(x.shape, np.nan)
    a, b = np.polyfit(x[use], y[use], 1) if np.ptp(x[use]) > 0 else (0.0, np.median(y[use]))
    return a * x + b - y


def side_stances(*, landmarks: np.ndarray, facing: int, fps: float, side: str) -> Stances:
    """One foot's stances in a side view, from the foot's own motion (not from the pelvis,
    whose timing rule was validated on walking and misses running's flight phase).

    From the heel's fastest forward swing before each reach of the foot (:func:`reach_frames`),
    initial contact is the moment
    the heel, swinging back, first travels with the ground at CONTACT_SPEED_SHARE of the
    runner's speed while the foot is near the ground; toe-off is the moment the toe then rises
    above its planted level by TOE_OFF_NOISE_SDS of its own jitter. Both are interpolated
    between frames; a velocity sample is placed halfway between its two frames."""
    motion = foot_motion(landmarks=landmarks, facing=facing, side=side)
    relative = motion.heel_speed_share
    low = np.fmin(motion.heel_height, motion.toe_height)
    reach = reach_frames(landmarks=landmarks, facing=facing, fps=fps, side=side)
    stride = float(np.median(np.diff(reach))) if reach.size >= 2 else MIN_STRIDE_S * fps
    contacts, toe_offs = [], []
    for frame in reach:
        # The heel swings forward fastest in mid-swing, before the reach: search from there.
        early = max(int(frame - 0.4 * stride), 0)
        swing = relative[early : int(frame) + 1]
        if not np.isfinite(swing).any():
            continue
        start = early + int(np.nanargmax(swing))
        contact = _landing(
            relative,
            low,
            start=start,
            stop=int(frame + 0.6 * stride),
            hold=_frames(MIN_STANCE_S, fps),
        )
        if contact is None or (contacts and contact - contacts[-1] < 0.5 * stride):
            continue
        contacts.append(contact)
        toe_offs.append(_toe_off(motion, contact, fps=fps, stop=contact + 0.8 * stride))
    return Stances(np.array(contacts, dtype=float), np.array(toe_offs, dtype=float))


def _landing(
    relative: np.ndarray, low: np.ndarray, *, start: int, stop: int, hold: int
) -> float | None:
    """Initial contact in [start, stop), as a fractional frame: a fall of the heel's velocity
    relative to the ground to within 1 - CONTACT_SPEED_SHARE of the runner's speed, near the
    ground, out of a swing (the heel faster than the runner in the three samples before). A
    pose model that swaps or merges the feet for a frame or two makes a swinging foot
    seem to stop, so of several such falls the one followed by the most planted samples (moving
    with the ground, near it) over twice `hold` wins, and it needs at least `hold` of them."""
    limit = 1.0 - CONTACT_SPEED_SHARE
    best, best_planted = None, hold - 1
    for k in range(max(start, 0) + 1, min(stop, len(relative))):
        before, after = relative[k - 1], relative[k]
        if not (np.isfinite(before) and np.isfinite(after) and before > limit >= after):
            continue
        if np.nanmin(low[k : k + 2], initial=np.inf) > LANDING_HEIGHT:
            continue
        if np.nanmax(relative[max(k - 3, 0) : k], initial=0.0) < 1.0:
            continue  # not out of a swing: jitter within a stance
        after_k = slice(k, min(k + 2 * hold, len(relative)))
        with np.errstate(invalid="ignore"):
            planted = int(
                np.sum((np.abs(relative[after_k]) < 0.5) & (low[after_k] <= LANDING_HEIGHT))
            )
        if planted > best_planted:
            best, best_planted = k - 0.5 + (before - limit) / (before - after), planted
    return best


def _frames(seconds: float, fps: float) -> int:
    return max(2, int(round(seconds * fps)))


def _toe_off(motion: FootMotion, contact: float, *, fps: float, stop: float) -> float:
    """The toe's rise above its planted level in this stance by TOE_OFF_NOISE_SDS of its
    jitter, between MIN_STANCE_S and MAX_STANCE_S after a contact (and before `stop`); NaN if
    not seen. The planted level is read per stance (the lower quarter of the toe's heights in
    the 0.3 s after contact): a runner drifting across the belt lands nearer or further."""
    height = motion.toe_height
    first, last = int(np.ceil(contact)), min(int(contact + MAX_STANCE_S * fps), int(stop))
    planted = height[first : first + _frames(0.3, fps)]
    if not np.isfinite(planted).any():
        return float("nan")
    limit = np.nanpercentile(planted, 25) + TOE_OFF_NOISE_SDS * motion.toe_noise
    for k in range(
        max(int(np.ceil(contact + MIN_STANCE_S * fps)), 1), min(last, len(height) - 1) + 1
    ):
        before, after = height[k - 1], height[k]
        if np.isfinite(before) and np.isfinite(after) and before <= limit < after:
            return k - 1 + (limit - before) / (after - before)
    return float("nan")


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
