"""Club jobs: an announcement fans out to every member as stored, pushed notifications."""

from __future__ import annotations

from analysis.job_runner import JobKind, PermanentJobError, register
from analysis.models import Job
from club.models import Club, Notification
from club.services import notify


def _save_announcement(job: Job, _: object) -> dict:
    club = Club.objects.filter(pk=job.payload.get("club_id")).first()
    if club is None:
        raise PermanentJobError("the club no longer exists")
    recipients = club.memberships.exclude(user_id=job.owner_id).select_related("user")
    for membership in recipients:
        notify(
            membership.user,
            kind=Notification.Kind.CLUB,
            title=f"{club.name}: {job.payload['title']}",
            body=job.payload.get("body", ""),
            link=club.get_absolute_url(),
        )
    return {"recipients": len(recipients)}


ANNOUNCE = register(JobKind(name="club.announce", save=_save_announcement))
