"""One access helper per object type: every lookup starts from what the requester may see."""

from __future__ import annotations

from django.http import Http404

from analysis.models import Job, VideoAnalysis


def get_job_for_user(user: object, job_id: int) -> Job:
    job = Job.objects.for_user(user).filter(pk=job_id).first()
    if job is None:
        raise Http404("No such job.")
    return job


def get_analysis_for_user(user: object, analysis_id: int) -> VideoAnalysis:
    analysis = (
        VideoAnalysis.objects.visible_to(user)
        .select_related("owner", "job")
        .filter(pk=analysis_id)
        .first()
    )
    if analysis is None:
        raise Http404("No such analysis.")
    return analysis
