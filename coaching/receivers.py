"""What coaching does when the apps below announce something (club.events)."""

from __future__ import annotations

from analysis.events import AnalysisFinished
from club.events import subscribe
from coaching.services import suggest_from_analysis


@subscribe(AnalysisFinished)
def propose_drills(event: AnalysisFinished) -> None:
    """Each finding's drills go to the athlete's coaches (suggest_from_analysis decides
    whether the analysis is a basis for a plan at all)."""
    if event.runner_found:
        suggest_from_analysis(event.analysis)
