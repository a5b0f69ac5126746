"""Clips: pose landmarks from the video, gait events, posture, scores and the report."""
