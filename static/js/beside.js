// Two clips side by side (compare.html): both start at their nearer leg's first initial
// contact and move together. Strides are counted from those contacts; a step of the left clip
// takes the right one to the same share of its own stride, so two runners of different cadence
// stay in phase at every contact. Playing, the right clip runs at the left one's speed scaled
// by the ratio of their strides, and is put back in phase whenever it drifts.
(function () {
  "use strict";
  const root = document.querySelector("[data-beside]");
  if (!root || !window.RunclubPlayer) {
    return;
  }
  const players = Array.from(root.querySelectorAll("[data-player]")).map((el) => new window.RunclubPlayer(el));
  if (!players.length) {
    return;
  }
  // With one clip (the other analysis has none) the controls move that one alone.
  const lead = players[0];
  const follow = players[1] || null;
  const strideReadout = root.querySelector("[data-stride-readout]");
  const playButton = root.querySelector("[data-action=play]");
  const DRIFT_FRAMES = 2;
  let rate = 0.25;

  // Each clip's strides: its nearer leg's initial contacts, made regular where the detection
  // missed one (a gap of about two strides gets an estimated contact in its middle, marked so)
  // or found one too many (a contact less than half a stride after the last is dropped).
  // Without that, one missed contact would put the two clips a stride apart from then on.
  function anchors(player) {
    const near = player.eventFrames("contact", player.nearLeg || "either");
    const frames = near.length ? near : player.eventFrames("contact", "either");
    const gaps = frames.slice(1).map((f, i) => f - frames[i]).sort((x, y) => x - y);
    if (gaps.length < 2) {
      return { frames: frames, estimated: new Set() };
    }
    const period = gaps[Math.floor(gaps.length / 2)];
    const out = [frames[0]];
    const estimated = new Set();
    frames.slice(1).forEach(function (frame) {
      const last = out[out.length - 1];
      const gap = frame - last;
      if (gap < 0.5 * period) {
        return;
      }
      const missing = Math.round(gap / period) - 1;
      for (let m = 1; m <= missing; m += 1) {
        const guess = Math.round(last + (m * gap) / (missing + 1));
        out.push(guess);
        estimated.add(guess);
      }
      out.push(frame);
    });
    return { frames: out, estimated: estimated };
  }
  const leadStrides = anchors(lead);
  const followStrides = follow ? anchors(follow) : { frames: [], estimated: new Set() };
  const a = leadStrides.frames;
  const b = followStrides.frames;
  const strides = follow ? Math.min(a.length, b.length) : a.length;

  // The stride of `frames` the frame falls in: k with frames[k] <= frame < frames[k + 1].
  function strideOf(frames, frame) {
    let k = 0;
    while (k + 1 < frames.length && frames[k + 1] <= frame) {
      k += 1;
    }
    return k;
  }

  function mapped(frame) {
    if (strides < 2) {
      return frame - (a[0] || 0) + (b[0] || 0);
    }
    const k = Math.min(strideOf(a, frame), strides - 2);
    const phase = (frame - a[k]) / (a[k + 1] - a[k]);
    return Math.round(b[k] + phase * (b[k + 1] - b[k]));
  }

  function strideRatio(frame) {
    if (strides < 2) {
      return 1;
    }
    const k = Math.min(strideOf(a, frame), strides - 2);
    return (b[k + 1] - b[k]) / (a[k + 1] - a[k]);
  }

  function align() {
    if (follow) {
      follow.seekFrame(mapped(lead.frame));
    }
  }

  function stepFrames(n) {
    lead.step(n);
    align();
  }

  function stepStride(direction) {
    if (!strides) {
      return;
    }
    const k = strideOf(a, lead.frame);
    const atStart = lead.frame === a[k];
    let target = direction > 0 ? k + 1 : atStart ? k - 1 : k;
    if (lead.frame < a[0]) {
      target = 0;
    }
    target = Math.max(0, Math.min(strides - 1, target));
    lead.seekFrame(a[target]);
    if (follow) {
      follow.seekFrame(b[target]);
    }
  }

  function toggle() {
    if (lead.playing()) {
      lead.video.pause();
      if (follow) {
        follow.video.pause();
      }
      align();
      return;
    }
    lead.video.play().catch(() => {});
    if (follow) {
      follow.setRate(rate * strideRatio(lead.frame));
      follow.video.play().catch(() => {});
    }
  }

  function setSpeed(speed) {
    rate = Number(speed);
    lead.setRate(rate);
    if (follow) {
      follow.setRate(rate * strideRatio(lead.frame));
    }
    root.querySelectorAll("[data-speed]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.speed === speed));
    });
  }

  root.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) {
      return;
    }
    const action = button.dataset.action;
    if (action === "play") {
      toggle();
    } else if (action === "frame") {
      stepFrames(Number(button.dataset.step));
    } else if (action === "stride") {
      stepStride(Number(button.dataset.step));
    } else if (action === "skeleton") {
      const on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(on));
      players.forEach((p) => { p.skeleton = on; p.draw(); });
    } else if (button.dataset.speed) {
      setSpeed(button.dataset.speed);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("input, textarea, select")) {
      return;
    }
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      const direction = event.key === "ArrowRight" ? 1 : -1;
      if (event.shiftKey) {
        stepStride(direction);
      } else {
        stepFrames(direction);
      }
    } else if (event.key === " " && root.contains(document.activeElement)) {
      event.preventDefault();
      toggle();
    }
  });

  function describe(player, strideStarts) {
    const seconds = player.time();
    const text = seconds.toFixed(2) + " s · frame " + (player.frame + 1);
    const here = player.eventsHere();
    if (here) {
      return text + " · " + here;
    }
    if (strideStarts.estimated.has(player.frame)) {
      return text + " · no contact was detected in this stride: its start is estimated";
    }
    return text;
  }

  function render() {
    players.forEach(function (player, i) {
      const readout = player.root.parentElement.querySelector("[data-side-readout]");
      if (readout) {
        readout.textContent = describe(player, i === 0 ? leadStrides : followStrides);
      }
      player.root.dataset.frame = String(player.frame);
    });
    const k = strides ? strideOf(a, lead.frame) : 0;
    strideReadout.textContent = strides
      ? "Stride " + (lead.frame < a[0] ? 0 : k + 1) + " of " + strides + " (from each clip's nearer leg's initial contact)"
      : "No strides were timed in one of the clips: they step frame by frame together.";
    root.dataset.stride = String(lead.frame < (a[0] || 0) ? 0 : k + 1);
    playButton.textContent = lead.playing() ? "Pause" : "Play";
    playButton.setAttribute("aria-label", playButton.textContent);
  }

  // While playing, keep the right clip in phase with the left one.
  lead.onChange(function () {
    if (follow && lead.playing()) {
      follow.setRate(rate * strideRatio(lead.frame));
      const target = mapped(lead.frame);
      if (Math.abs(follow.frame - target) > DRIFT_FRAMES) {
        follow.video.currentTime = (target + 0.5) / follow.fps;
      }
    }
    render();
  });
  if (follow) {
    follow.onChange(render);
    lead.video.addEventListener("ended", function () {
      follow.video.pause();
    });
  }

  let started = 0;
  players.forEach(function (player) {
    const ready = function () {
      started += 1;
      if (started === players.length) {
        lead.seekFrame(a[0] || 0);
        if (follow) {
          follow.seekFrame(b[0] || 0);
        }
        root.dataset.ready = "1";
      }
    };
    if (player.video.readyState >= 1) {
      ready();
    } else {
      player.video.addEventListener("loadedmetadata", ready, { once: true });
    }
  });
  render();
})();
