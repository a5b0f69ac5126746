"""The science: arrays in, numbers out. A plain package: numpy, fitparse (only in
fit.fit_io), cv2 and MediaPipe (only in video.pose_io); nothing of Django, settings or the
apps (import-linter keeps it so). Grouped by what it reads: FIT files (fit), run summaries
(runs), clips (video), and the metric registry (metrics)."""
