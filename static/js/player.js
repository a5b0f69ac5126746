// One clip with the pose model's skeleton drawn over it, frame by frame (the video room's
// player; room.js and beside.js drive it). The page gives each player its frame rate, its
// gait events and, when one is stored, the URL of its pose (GET /api/analyses/{id}/pose/).
//
// Frames: frame i is on screen from i/fps to (i+1)/fps. A step seeks to the middle of the
// frame, so the picture lands on it whatever the rounding; the frame on screen is read from
// requestVideoFrameCallback's media time where the browser has it (the very frame painted),
// else from the current time after each seek and at every animation frame while playing.
// Styles are set through the CSSOM only: the site's policy forbids style attributes.
(function () {
  "use strict";

  const COLOURS = { left: "#fbbf24", right: "#38bdf8", centre: "#ffffff", outline: "rgba(15,23,42,.85)" };
  const SEEN = 0.5; // visibility above which a point is drawn solid
  const MARK_COLOUR = "#e879f9";
  const MARK_SELECTED = "#f0abfc";

  function parse(text, fallback) {
    try {
      return JSON.parse(text);
    } catch (error) {
      return fallback;
    }
  }

  // The frame an event falls on, by the rule the keyframes use: the first frame in contact,
  // the middle frame of the stance, the last frame with the toe down.
  function eventFrame(kind, seconds, fps) {
    const exact = seconds * fps;
    if (kind === "contact") {
      return Math.ceil(exact - 1e-6);
    }
    if (kind === "toe_off") {
      return Math.floor(exact + 1e-6);
    }
    return Math.round(exact);
  }

  class Player {
    constructor(root) {
      this.root = root;
      this.video = root.querySelector("video");
      this.canvas = root.querySelector("canvas");
      this.stage = root.querySelector(".player-stage");
      this.note = root.querySelector("[data-note]");
      this.fps = Number(root.dataset.fps) || 30;
      this.frames = Number(root.dataset.frames) || 0;
      this.events = parse(root.dataset.events || "{}", {});
      this.nearLeg = root.dataset.nearLeg || "";
      this.pose = null;
      this.frame = 0;
      this.skeleton = true;
      this.marks = []; // {id, frame, drawing: {kind, points}, deg, selected}
      this.draft = null; // the drawing being made: {kind, points}
      this.listeners = [];
      this.video.playbackRate = 0.25;
      this.video.defaultPlaybackRate = 0.25;
      this.bind();
      this.loadPose(root.dataset.poseUrl);
    }

    bind() {
      const video = this.video;
      video.addEventListener("loadedmetadata", () => this.onMetadata());
      video.addEventListener("seeked", () => this.onTime(video.currentTime, false));
      video.addEventListener("play", () => this.tick());
      video.addEventListener("pause", () => this.emit());
      video.addEventListener("ended", () => this.emit());
      video.addEventListener("error", () => this.say("This browser cannot play this clip's format; the numbers and keyframes below still stand.", true));
      if ("requestVideoFrameCallback" in HTMLVideoElement.prototype) {
        const painted = (now, meta) => {
          this.onTime(meta.mediaTime, true);
          video.requestVideoFrameCallback(painted);
        };
        video.requestVideoFrameCallback(painted);
      }
      if (window.ResizeObserver) {
        new ResizeObserver(() => this.draw()).observe(this.stage);
      }
      if (video.readyState >= 1) {
        this.onMetadata();
      }
    }

    say(text, bad) {
      if (!this.note) {
        return;
      }
      this.note.textContent = text;
      this.note.hidden = false;
      this.note.classList.toggle("bad", Boolean(bad));
    }

    onMetadata() {
      const video = this.video;
      if (video.videoWidth && video.videoHeight) {
        this.root.style.setProperty("--aspect", String(video.videoWidth / video.videoHeight));
      }
      const counted = Math.floor(video.duration * this.fps + 1e-6);
      if (!this.frames && Number.isFinite(counted)) {
        this.frames = counted;
      }
      this.draw();
      this.emit();
    }

    async loadPose(url) {
      if (!url) {
        return;
      }
      try {
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        const track = await response.json();
        this.pose = {
          frames: track.frames,
          bones: track.bones,
          sides: track.joints.map(function (name) {
            return name.startsWith("left_") ? "left" : name.startsWith("right_") ? "right" : "centre";
          }),
          xy: track.scale.xy,
          visibility: track.scale.visibility,
        };
        this.frames = this.frames || track.frame_count;
        this.draw();
      } catch (error) {
        this.say("The skeleton could not be loaded; the clip plays on its own.", true);
      }
    }

    // -- where we are --------------------------------------------------------------------------

    onTime(seconds, painted) {
      // A painted frame's media time is its start; any other time lies within its frame.
      const frame = painted ? Math.round(seconds * this.fps) : Math.floor(seconds * this.fps + 1e-4);
      this.setFrame(frame);
    }

    setFrame(frame) {
      const last = this.lastFrame();
      const clamped = Math.max(0, Math.min(last, frame));
      if (clamped !== this.frame) {
        this.frame = clamped;
        this.draw();
      }
      this.emit();
    }

    lastFrame() {
      return Math.max(0, (this.frames || 1) - 1);
    }

    time() {
      return this.frame / this.fps;
    }

    tick() {
      // Without frame callbacks, follow the picture at the screen's rate while it plays.
      if ("requestVideoFrameCallback" in HTMLVideoElement.prototype) {
        this.emit();
        return;
      }
      const step = () => {
        this.onTime(this.video.currentTime, false);
        if (!this.video.paused) {
          requestAnimationFrame(step);
        }
      };
      requestAnimationFrame(step);
    }

    onChange(listener) {
      this.listeners.push(listener);
    }

    emit() {
      this.listeners.forEach((listener) => listener(this));
    }

    // -- moving ----------------------------------------------------------------------------

    seekFrame(frame) {
      const target = Math.max(0, Math.min(this.lastFrame(), frame));
      this.video.pause();
      this.video.currentTime = (target + 0.5) / this.fps;
      this.setFrame(target);
    }

    seekTime(seconds) {
      this.seekFrame(Math.floor(seconds * this.fps + 1e-4));
    }

    step(frames) {
      this.seekFrame(this.frame + frames);
    }

    playing() {
      return !this.video.paused && !this.video.ended;
    }

    toggle() {
      if (this.playing()) {
        this.video.pause();
      } else {
        if (this.frame >= this.lastFrame()) {
          this.video.currentTime = 0;
        }
        this.video.play().catch(() => {});
      }
    }

    setRate(rate) {
      this.video.playbackRate = rate;
      this.video.defaultPlaybackRate = rate;
    }

    // -- events ----------------------------------------------------------------------------

    eventFrames(kind, foot) {
      const feet = foot === "either" || !foot ? ["left", "right"] : [foot];
      const frames = [];
      feet.forEach((side) => {
        const times = (this.events[side] || {})[kind + "_s"] || [];
        times.forEach((t) => {
          if (t !== null && t !== undefined) {
            frames.push(eventFrame(kind, t, this.fps));
          }
        });
      });
      return frames.sort((a, b) => a - b);
    }

    nextEvent(kind, foot, direction) {
      const frames = this.eventFrames(kind, foot);
      const later = frames.filter((f) => (direction > 0 ? f > this.frame : f < this.frame));
      if (!later.length) {
        return null;
      }
      return direction > 0 ? later[0] : later[later.length - 1];
    }

    // What happens on the frame on screen: e.g. "left foot: initial contact".
    eventsHere() {
      const words = { contact: "initial contact", midstance: "midstance", toe_off: "toe-off" };
      const here = [];
      ["left", "right"].forEach((side) => {
        Object.keys(words).forEach((kind) => {
          if (this.eventFrames(kind, side).indexOf(this.frame) >= 0) {
            here.push(side + " foot " + words[kind]);
          }
        });
      });
      return here.join(", ");
    }

    // -- drawing ---------------------------------------------------------------------------

    size() {
      const ratio = window.devicePixelRatio || 1;
      const width = Math.round(this.stage.clientWidth * ratio);
      const height = Math.round(this.stage.clientHeight * ratio);
      if (this.canvas.width !== width || this.canvas.height !== height) {
        this.canvas.width = width;
        this.canvas.height = height;
      }
      return { width: width, height: height, ratio: ratio };
    }

    draw() {
      const box = this.size();
      const ctx = this.canvas.getContext("2d");
      ctx.clearRect(0, 0, box.width, box.height);
      if (this.skeleton && this.pose) {
        this.drawSkeleton(ctx, box);
      }
      this.marks.forEach((mark) => {
        if (mark.frame === this.frame) {
          this.drawMark(ctx, box, mark.drawing, mark.deg, mark.selected ? MARK_SELECTED : MARK_COLOUR);
        }
      });
      if (this.draft && this.draft.points.length) {
        this.drawMark(ctx, box, this.draft, this.measure(this.draft), MARK_SELECTED);
      }
    }

    drawSkeleton(ctx, box) {
      const flat = this.pose.frames[this.frame];
      if (!flat) {
        return;
      }
      const at = (j) => {
        const x = flat[3 * j];
        const y = flat[3 * j + 1];
        if (x === null || y === null) {
          return null;
        }
        return { x: (x / this.pose.xy) * box.width, y: (y / this.pose.xy) * box.height, v: flat[3 * j + 2] / this.pose.visibility };
      };
      const width = Math.max(2, 2.2 * box.ratio * (box.width / box.ratio > 500 ? 1.3 : 1));
      this.pose.bones.forEach((bone) => {
        const a = at(bone[0]);
        const b = at(bone[1]);
        if (!a || !b) {
          return;
        }
        const side = this.pose.sides[bone[0]] === this.pose.sides[bone[1]] ? this.pose.sides[bone[0]] : "centre";
        const near = side === this.nearLeg;
        ctx.globalAlpha = Math.min(a.v, b.v) >= SEEN ? 1 : 0.45;
        this.line(ctx, a, b, COLOURS[side], near ? width * 1.5 : width);
      });
      this.pose.sides.forEach((side, j) => {
        const p = at(j);
        if (!p) {
          return;
        }
        ctx.globalAlpha = p.v >= SEEN ? 1 : 0.45;
        ctx.beginPath();
        ctx.arc(p.x, p.y, width * 1.3, 0, 2 * Math.PI);
        ctx.fillStyle = COLOURS[side];
        ctx.fill();
        ctx.lineWidth = box.ratio;
        ctx.strokeStyle = COLOURS.outline;
        ctx.stroke();
      });
      ctx.globalAlpha = 1;
    }

    line(ctx, a, b, colour, width) {
      ctx.lineCap = "round";
      ctx.beginPath();
      ctx.moveTo(a.x, a.y);
      ctx.lineTo(b.x, b.y);
      ctx.strokeStyle = COLOURS.outline;
      ctx.lineWidth = width + 2.5;
      ctx.stroke();
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.stroke();
    }

    drawMark(ctx, box, drawing, deg, colour) {
      const points = drawing.points.map((p) => ({ x: p[0] * box.width, y: p[1] * box.height }));
      const width = 2.5 * box.ratio;
      for (let i = 1; i < points.length; i += 1) {
        this.line(ctx, points[i - 1], points[i], colour, width);
      }
      points.forEach((p) => {
        ctx.beginPath();
        ctx.arc(p.x, p.y, 4 * box.ratio, 0, 2 * Math.PI);
        ctx.fillStyle = colour;
        ctx.fill();
      });
      const complete = points.length === (drawing.kind === "angle" ? 3 : 2);
      if (complete && deg !== null && deg !== undefined) {
        const anchor = drawing.kind === "angle" ? points[1] : points[0];
        const text = Number(deg).toFixed(1) + "°";
        ctx.font = "600 " + Math.round(15 * box.ratio) + "px system-ui, sans-serif";
        ctx.textBaseline = "middle";
        const x = Math.min(box.width - ctx.measureText(text).width - 4 * box.ratio, anchor.x + 10 * box.ratio);
        ctx.lineWidth = 4 * box.ratio;
        ctx.strokeStyle = COLOURS.outline;
        ctx.strokeText(text, x, anchor.y);
        ctx.fillStyle = colour;
        ctx.fillText(text, x, anchor.y);
      }
    }

    // The angle as the server measures it (analysis/marks.py), in the frame's true shape: a
    // preview while drawing; the stored comment shows the server's own figure.
    measure(drawing) {
      const w = this.video.videoWidth || 1;
      const h = this.video.videoHeight || 1;
      const px = drawing.points.map((p) => [p[0] * w, p[1] * h]);
      if (drawing.kind === "line" && px.length === 2) {
        return (Math.atan2(Math.abs(px[1][0] - px[0][0]), Math.abs(px[1][1] - px[0][1])) * 180) / Math.PI;
      }
      if (drawing.kind === "angle" && px.length === 3) {
        const a = Math.atan2(px[0][1] - px[1][1], px[0][0] - px[1][0]);
        const b = Math.atan2(px[2][1] - px[1][1], px[2][0] - px[1][0]);
        const deg = Math.abs(((b - a) * 180) / Math.PI) % 360;
        return deg > 180 ? 360 - deg : deg;
      }
      return null;
    }

    // A point on the picture, in fractions of the frame, from a pointer event.
    pointAt(event) {
      const rect = this.stage.getBoundingClientRect();
      const x = (event.clientX - rect.left) / rect.width;
      const y = (event.clientY - rect.top) / rect.height;
      return [Math.min(1, Math.max(0, x)), Math.min(1, Math.max(0, y))];
    }
  }

  window.RunclubPlayer = Player;
})();
