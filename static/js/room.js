// The video room of one analysis: the player (player.js) with its controls, a timeline of the
// stances and of the comments pinned to the clip, the metric charts following the playhead,
// and, for the athlete and their coaches, a comment pinned to the frame on screen with a line
// or an angle drawn on it. Pinned comments are read from the feedback thread on the page, so
// a comment arriving live (the thread re-reads itself) appears on the timeline at once.
(function () {
  "use strict";
  const root = document.querySelector("[data-room]");
  if (!root || !window.RunclubPlayer) {
    return;
  }
  const player = new window.RunclubPlayer(root.querySelector("[data-player]"));
  const timeline = root.querySelector("[data-timeline]");
  const strip = timeline.querySelector("canvas");
  const pins = timeline.querySelector("[data-pins]");
  const scrub = timeline.querySelector("[data-scrub]");
  const caption = root.querySelector("[data-mark-caption]");
  const form = root.querySelector("[data-mark-form]");
  const footSelect = root.querySelector("[data-foot]");
  const playButton = root.querySelector("[data-action=play]");
  const FOOT_COLOURS = { left: "#d97706", right: "#0284c7" };
  const KEYS = { c: "contact", m: "midstance", t: "toe_off" };
  let selected = null;
  let placedFor = -1;

  function clipTime(seconds) {
    const whole = Math.round(Math.max(0, seconds) * 100) / 100;
    const minutes = Math.floor(whole / 60);
    const rest = (whole - minutes * 60).toFixed(2).padStart(5, "0");
    return minutes + ":" + rest;
  }

  // -- controls ------------------------------------------------------------------------------

  root.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button || !root.contains(button)) {
      return;
    }
    const action = button.dataset.action;
    if (action === "play") {
      player.toggle();
    } else if (action === "frame") {
      player.step(Number(button.dataset.step));
    } else if (action === "skeleton") {
      player.skeleton = !player.skeleton;
      button.setAttribute("aria-pressed", String(player.skeleton));
      player.draw();
    } else if (action === "clear-drawing") {
      setDraft(null);
    } else if (button.dataset.speed) {
      setSpeed(button.dataset.speed);
    } else if (button.dataset.jump) {
      jump(button.dataset.jump, Number(button.dataset.dir));
    } else if (button.dataset.pin) {
      select(button.dataset.pin, true);
    }
  });

  function setSpeed(speed) {
    player.setRate(Number(speed));
    root.querySelectorAll("[data-speed]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.speed === speed));
    });
  }

  function jump(kind, direction) {
    const frame = player.nextEvent(kind, footSelect ? footSelect.value : "either", direction);
    if (frame !== null) {
      player.seekFrame(frame);
    }
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      player.step(event.key === "ArrowRight" ? 1 : -1);
    } else if (event.key === " " && root.contains(document.activeElement)) {
      event.preventDefault();
      player.toggle();
    } else if (KEYS[event.key.toLowerCase()]) {
      jump(KEYS[event.key.toLowerCase()], event.shiftKey ? -1 : 1);
    }
  });

  scrub.addEventListener("input", function () {
    player.seekFrame(Number(scrub.value));
  });

  // -- timeline ------------------------------------------------------------------------------

  function frameAtX(clientX) {
    const rect = strip.getBoundingClientRect();
    const share = Math.min(1, Math.max(0, (clientX - rect.left) / rect.width));
    return Math.round(share * player.lastFrame());
  }

  strip.addEventListener("pointerdown", function (event) {
    strip.setPointerCapture(event.pointerId);
    player.seekFrame(frameAtX(event.clientX));
  });
  strip.addEventListener("pointermove", function (event) {
    if (strip.hasPointerCapture(event.pointerId)) {
      player.seekFrame(frameAtX(event.clientX));
    }
  });

  function drawTimeline() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.round(strip.clientWidth * ratio);
    const height = Math.round(strip.clientHeight * ratio);
    if (!width || !height) {
      return;
    }
    if (strip.width !== width || strip.height !== height) {
      strip.width = width;
      strip.height = height;
    }
    const ctx = strip.getContext("2d");
    const last = Math.max(1, player.lastFrame());
    const x = (frame) => (frame / last) * (width - 2 * ratio) + ratio;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = "#eef2f5";
    ctx.fillRect(0, height * 0.3, width, height * 0.6);
    ["left", "right"].forEach(function (side, row) {
      const top = height * (0.34 + row * 0.29);
      const contacts = ((player.events[side] || {}).contact_s || []);
      const toeOffs = ((player.events[side] || {}).toe_off_s || []);
      ctx.fillStyle = FOOT_COLOURS[side];
      contacts.forEach(function (contact, i) {
        const start = x(contact * player.fps);
        const end = toeOffs[i] !== null && toeOffs[i] !== undefined ? x(toeOffs[i] * player.fps) : start + 2 * ratio;
        ctx.globalAlpha = 0.35;
        ctx.fillRect(start, top, Math.max(2 * ratio, end - start), height * 0.24);
        ctx.globalAlpha = 1;
        ctx.fillRect(start, top - 2 * ratio, 2 * ratio, height * 0.24 + 4 * ratio);
      });
    });
    ctx.fillStyle = "#0f172a";
    ctx.fillRect(x(player.frame) - ratio, 0, 2 * ratio, height);
  }

  // -- pinned comments -----------------------------------------------------------------------

  function thread() {
    return document.getElementById(root.dataset.thread);
  }

  function readMarks() {
    const items = thread() ? thread().querySelectorAll("[data-at-s]") : [];
    player.marks = Array.from(items).map(function (item) {
      return {
        id: item.dataset.comment,
        frame: Math.round(Number(item.dataset.atS) * player.fps),
        at: Number(item.dataset.atS),
        drawing: item.dataset.drawing ? JSON.parse(item.dataset.drawing) : { kind: "", points: [] },
        deg: item.dataset.drawingDeg ? Number(item.dataset.drawingDeg) : null,
        author: item.dataset.author || "",
        body: (item.querySelector("[data-comment-body]") || item).textContent.trim(),
        selected: item.dataset.comment === selected,
      };
    });
    placePins();
    player.draw();
  }

  function placePins() {
    pins.replaceChildren();
    const last = Math.max(1, player.lastFrame());
    player.marks.forEach(function (mark, i) {
      const pin = document.createElement("button");
      pin.type = "button";
      pin.className = "pin";
      pin.dataset.pin = mark.id;
      pin.textContent = String(i + 1);
      pin.setAttribute("aria-pressed", String(mark.id === selected));
      pin.setAttribute("aria-label", "Comment by " + mark.author + " at " + clipTime(mark.at));
      pin.title = mark.author + " at " + clipTime(mark.at) + ": " + mark.body.slice(0, 80);
      pin.style.left = (100 * Math.min(mark.frame, last)) / last + "%";
      pins.append(pin);
    });
  }

  function select(id, seek) {
    selected = id;
    const mark = player.marks.find((m) => m.id === id);
    player.marks.forEach((m) => { m.selected = m.id === id; });
    if (mark && seek) {
      player.seekFrame(mark.frame);
    }
    placePins();
    showCaption();
    if (thread()) {
      thread().querySelectorAll("[data-comment]").forEach(function (item) {
        item.classList.toggle("is-selected", item.dataset.comment === id);
      });
    }
    player.draw();
  }

  function showCaption() {
    const here = player.marks.filter((m) => m.frame === player.frame);
    const mark = here.find((m) => m.selected) || here[0];
    caption.hidden = !mark;
    if (mark) {
      const measured = mark.deg === null ? "" : " (" + mark.deg.toFixed(1) + "°" + (mark.drawing.kind === "line" ? " from vertical" : "") + ")";
      caption.textContent = mark.author + " at " + clipTime(mark.at) + measured + ": " + mark.body;
    }
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest("[data-seek-comment]");
    if (link) {
      event.preventDefault();
      select(link.dataset.seekComment, true);
      root.scrollIntoView({ behavior: "smooth", block: "start" });
    }
  });

  // The thread is swapped whole: by a reply, by a live push, by our own pinned comment.
  document.addEventListener("htmx:afterSettle", function () {
    readMarks();
    const status = form ? form.querySelector(".mark-status[data-saved]") : null;
    if (status && status.dataset.handled !== "1") {
      status.dataset.handled = "1";
      form.querySelector("textarea").value = "";
      setDraft(null);
      select(status.dataset.saved, false);
    }
  });

  // -- drawing a mark ------------------------------------------------------------------------

  function tool() {
    const checked = form ? form.querySelector("input[name=tool]:checked") : null;
    return checked ? checked.value : "";
  }

  function setDraft(draft) {
    player.draft = draft;
    if (form) {
      const complete = draft && draft.points.length === (draft.kind === "angle" ? 3 : 2);
      form.querySelector("[data-mark-drawing]").value = complete ? JSON.stringify(draft) : "";
      if (!draft) {
        form.querySelectorAll("input[name=tool]").forEach((r) => { r.checked = r.value === ""; });
        player.root.classList.remove("drawing");
      }
    }
    player.draw();
  }

  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.name === "tool") {
        player.video.pause();
        player.root.classList.toggle("drawing", tool() !== "");
        setDraft(tool() ? { kind: tool(), points: [] } : null);
      }
    });
    player.canvas.addEventListener("pointerdown", function (event) {
      const kind = tool();
      if (!kind) {
        return;
      }
      event.preventDefault();
      const needed = kind === "angle" ? 3 : 2;
      const draft = player.draft && player.draft.kind === kind && player.draft.points.length < needed ? player.draft : { kind: kind, points: [] };
      draft.points.push(player.pointAt(event));
      setDraft(draft);
    });
  }

  // -- the charts follow the playhead, and a click on one seeks ------------------------------

  const axis = root.dataset.chartT1 ? {
    t0: Number(root.dataset.chartT0),
    t1: Number(root.dataset.chartT1),
    left: Number(root.dataset.chartLeft),
    right: Number(root.dataset.chartRight),
  } : null;
  const charts = axis ? Array.from(document.querySelectorAll("#metric-charts svg.chart")) : [];
  const SVG = "http://www.w3.org/2000/svg";
  charts.forEach(function (svg) {
    const box = svg.viewBox.baseVal;
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("class", "playhead");
    line.setAttribute("y1", "4");
    line.setAttribute("y2", String(box.height - 28));
    svg.append(line);
    svg.classList.add("seekable");
    svg.addEventListener("click", function (event) {
      const point = svg.createSVGPoint();
      point.x = event.clientX;
      point.y = event.clientY;
      const inside = point.matrixTransform(svg.getScreenCTM().inverse());
      const share = (inside.x - axis.left) / (axis.right - axis.left);
      player.seekTime(axis.t0 + Math.min(1, Math.max(0, share)) * (axis.t1 - axis.t0));
    });
  });

  function moveChartPlayheads() {
    const share = (player.time() - axis.t0) / (axis.t1 - axis.t0 || 1);
    const x = axis.left + Math.min(1, Math.max(0, share)) * (axis.right - axis.left);
    charts.forEach(function (svg) {
      const line = svg.querySelector("line.playhead");
      line.setAttribute("x1", x.toFixed(1));
      line.setAttribute("x2", x.toFixed(1));
    });
  }

  // -- every change of frame -----------------------------------------------------------------

  function render() {
    const aspect = player.video.videoWidth / player.video.videoHeight;
    if (aspect > 0) {
      root.style.setProperty("--aspect", String(aspect));
    }
    const time = clipTime(player.time());
    root.querySelectorAll("[data-readout-time]").forEach((el) => { el.textContent = time; });
    root.querySelector("[data-readout-frame]").textContent = String(player.frame + 1);
    root.querySelector("[data-readout-frames]").textContent = String(player.frames || "?");
    root.querySelector("[data-readout-event]").textContent = player.eventsHere();
    root.dataset.frame = String(player.frame);
    scrub.max = String(player.lastFrame());
    scrub.value = String(player.frame);
    playButton.textContent = player.playing() ? "Pause" : "Play";
    playButton.setAttribute("aria-label", player.playing() ? "Pause" : "Play");
    if (form) {
      form.querySelector("[data-mark-at]").value = player.time().toFixed(3);
    }
    if (placedFor !== player.lastFrame()) {
      placedFor = player.lastFrame();
      placePins();
    }
    drawTimeline();
    if (axis) {
      moveChartPlayheads();
    }
    showCaption();
  }

  // Without timed gait events (a view from behind, a clip with no runner) there is nothing
  // to jump to: the buttons say so by being off.
  if (!player.eventFrames("contact", "either").length) {
    root.querySelectorAll("[data-jump], [data-foot]").forEach((el) => { el.disabled = true; });
    root.querySelector("[data-readout-event]").title = "No gait events were timed on this clip";
  }

  player.onChange(render);
  if (window.ResizeObserver) {
    new ResizeObserver(drawTimeline).observe(strip);
  }
  readMarks();
  render();
  root.dataset.ready = "1";
})();
