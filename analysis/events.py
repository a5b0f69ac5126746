"""What the analysis app announces to the apps above it (see club.events)."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.core.video.video_report import NO_RUNNER
from analysis.models import VideoAnalysis


@dataclass(frozen=True)
class AnalysisFinished:
    """A clip's report was saved, in the transaction that marks its job done."""

    analysis: VideoAnalysis

    @property
    def runner_found(self) -> bool:
        """False when nothing was measured: no score, no findings, nothing to compare."""
        return (self.analysis.report or {}).get("status") != NO_RUNNER
