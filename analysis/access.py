"""One access helper per object type: every lookup starts from what the requester may see."""

from __future__ import annotations

from analysis.models import Job, VideoAnalysis
from club.access import first_or_404


def get_job_for_user(user: object, job_id: int) -> Job:
    return first_or_404(Job.objects.for_user(user).filter(pk=job_id), "No such job.")


def get_analysis_for_user(user: object, analysis_id: int) -> VideoAnalysis:
    visible = VideoAnalysis.objects.visible_to(user).select_related("owner", "job")
    return first_or_404(visible.filter(pk=analysis_id), "No such analysis.")


def get_own_analysis(user: object, analysis_id: int) -> VideoAnalysis:
    """An analysis the user may change or delete: only their own."""
    mine = VideoAnalysis.objects.filter(owner_id=user.pk if user.is_authenticated else None)
    return first_or_404(mine.filter(pk=analysis_id), "No such analysis of yours.")
