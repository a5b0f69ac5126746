from __future__ import annotations

import datetime

import factory
from django.db import transaction

from analysis.models import Job
from analysis.video_analysis import VIDEO_ANALYSE
from club.models import Club, Membership, Notification, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"runner{n}")
    first_name = factory.Faker("first_name")

    @classmethod
    def _create(cls, model_class: type[User], *args: object, **kwargs: object) -> User:
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)


class ClubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Club

    name = factory.Sequence(lambda n: f"Club {n}")
    slug = factory.Sequence(lambda n: f"club-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    club = factory.SubFactory(ClubFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Notification {n}")


def form_report(values: dict[str, float], *, view: str = "side") -> dict:
    """A report as the analysis writes it, from metric values, judged and scored by the real
    scoring (see analysis.core.video.video_report.report_from_values)."""
    from analysis.core.video.video_report import report_from_values

    return report_from_values(values, view=view)


class VideoAnalysisFactory(factory.django.DjangoModelFactory):
    """A finished analysis without a clip file: the tests here need its report, not pixels."""

    class Meta:
        model = "analysis.VideoAnalysis"

    owner = factory.SubFactory(UserFactory)
    clip = "clips/none.mp4"
    view = "side"
    visibility = "coaches"
    report = factory.LazyAttribute(lambda o: form_report({"trunk_lean_deg": 8.0}, view=o.view))
    quality = "good"
    score = factory.LazyAttribute(lambda o: o.report["score"])


class RunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "club.Run"

    owner = factory.SubFactory(UserFactory)
    source = "manual"
    start_utc = factory.Sequence(
        lambda n: (
            datetime.datetime(2026, 10, 1, 7, 0, tzinfo=datetime.UTC) + datetime.timedelta(days=n)
        )
    )
    distance_m = 8000.0
    moving_time_s = 2700.0
    visibility = "coaches"


def finish_analysis(owner, values: dict[str, float], *, visibility: str = "coaches"):
    """An analysis finished by the video job's own save step (suggestions, feed, boards and
    notifications included), with a report built by the real scoring from `values`."""
    job = Job.objects.create(kind="video.analyse", owner=owner, queue="video")
    analysis = VideoAnalysisFactory(
        owner=owner, job=job, visibility=visibility, report={}, score=None, quality=""
    )
    job.payload = {"analysis_id": analysis.pk}
    job.save(update_fields=["payload"])
    with transaction.atomic():
        VIDEO_ANALYSE.save(job, form_report(values))
    return analysis
