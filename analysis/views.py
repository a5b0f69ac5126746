from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from analysis.models import Job


def get_job_for_user(user: object, job_id: int) -> Job:
    job = Job.objects.for_user(user).filter(pk=job_id).first()
    if job is None:
        raise Http404("No such job.")
    return job


@login_required
def job_row(request: HttpRequest, job_id: int) -> HttpResponse:
    """The current state of one of my jobs, as the row the pages show."""
    job = get_job_for_user(request.user, job_id)
    return render(request, "analysis/partials/job_row.html", {"job": job})
