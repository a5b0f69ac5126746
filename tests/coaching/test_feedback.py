"""Feedback threads on analyses and runs: coach and athlete only, each told of the other."""

import pytest

from club.models import ClubActionError, Notification
from coaching import services
from coaching.models import Comment
from tests.factories import RunFactory, VideoAnalysisFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysis(personas):
    return VideoAnalysisFactory(owner=personas.member, visibility="club")


def test_a_coach_comment_reaches_the_athlete(personas, analysis):
    services.comment(
        author=personas.coach, target=analysis, body="Nice lean", metric="trunk_lean_deg"
    )
    note = Notification.objects.get(recipient=personas.member, kind="comment")
    assert note.link.startswith(analysis.get_absolute_url()) and note.body == "Nice lean"


def test_a_reply_reaches_the_coaches_in_the_thread(personas, analysis):
    services.comment(author=personas.coach, target=analysis, body="Shorter steps?")
    services.comment(author=personas.member, target=analysis, body="Will try")
    assert Notification.objects.filter(recipient=personas.coach, kind="comment").count() == 1
    assert [c.body for c in Comment.objects.on(analysis)] == ["Shorter steps?", "Will try"]


def test_a_clubmate_who_can_see_the_analysis_cannot_comment_or_read(personas, analysis, client_for):
    with pytest.raises(ClubActionError):
        services.comment(author=personas.clubmate, target=analysis, body="hi")
    response = client_for(personas.clubmate).get(f"/feedback/analysis/{analysis.pk}/")
    assert response.status_code == 404


def test_nobody_but_the_owner_comments_on_a_private_analysis(personas, client_for):
    private = VideoAnalysisFactory(owner=personas.member, visibility="private")
    response = client_for(personas.coach).post(f"/feedback/analysis/{private.pk}/", {"body": "x"})
    assert response.status_code == 404 and not Comment.objects.exists()


def test_an_empty_comment_is_refused_with_a_reason(personas, analysis, client_for):
    response = client_for(personas.coach).post(
        f"/feedback/analysis/{analysis.pk}/", {"body": "   "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and not Comment.objects.exists()
    assert "Write something first" in response.content.decode()


def test_the_thread_partial_shows_comments_in_order_escaped(personas, analysis, client_for):
    services.comment(author=personas.coach, target=analysis, body="<b>first</b>")
    services.comment(author=personas.member, target=analysis, body="second")
    html = client_for(personas.member).get(f"/feedback/analysis/{analysis.pk}/").content.decode()
    assert html.index("&lt;b&gt;first") < html.index("second") and "<b>first" not in html


def test_a_coach_comments_on_a_shared_run(personas, client_for):
    run = RunFactory(owner=personas.member, visibility="coaches")
    response = client_for(personas.coach).post(f"/feedback/run/{run.pk}/", {"body": "Good pacing"})
    assert response.status_code == 302 and Comment.objects.get().run == run
    assert Notification.objects.filter(recipient=personas.member, kind="comment").exists()


def test_a_comment_can_be_about_one_metric_of_the_analysis(personas, analysis, client_for):
    client_for(personas.coach).post(
        f"/feedback/analysis/{analysis.pk}/",
        {"body": "This is the one to work on", "metric": "trunk_lean_deg"},
    )
    assert Comment.objects.get().metric == "trunk_lean_deg"


def test_a_metric_the_analysis_does_not_have_is_refused(personas, analysis, client_for):
    response = client_for(personas.coach).post(
        f"/feedback/analysis/{analysis.pk}/",
        {"body": "x", "metric": "made_up_metric"},
        HTTP_HX_REQUEST="true",
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Comment.objects.exists()
