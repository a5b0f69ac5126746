"""The club feed: what each person sees follows the owner's choices; kudos and comments."""

import pytest
from rest_framework.test import APIClient

from club.life import feed
from club.models import ClubActionError, FeedItem
from coaching import services
from tests.coaching.helpers import assign_one
from tests.factories import RunFactory, VideoAnalysisFactory

pytestmark = pytest.mark.django_db


def _seen(user, club) -> set[str]:
    return {f"{i.kind}:{i.actor.username}" for i in FeedItem.objects.for_club(club, user)}


def _run(owner, visibility):
    run = RunFactory(owner=owner, visibility=visibility)
    feed.post(owner, FeedItem.Kind.RUN, run=run)
    return run


def test_a_run_shared_with_the_club_is_in_the_clubmates_feed(personas):
    _run(personas.member, "club")
    assert _seen(personas.clubmate, personas.club) == {"run:member"}


@pytest.mark.parametrize("visibility", ["private", "coaches"])
def test_a_run_not_shared_with_the_club_is_not(personas, visibility):
    _run(personas.member, visibility)
    assert _seen(personas.clubmate, personas.club) == set()
    assert _seen(personas.member, personas.club) == {"run:member"}


def test_narrowing_a_run_later_takes_it_out_of_the_feed(personas):
    run = _run(personas.member, "club")
    run.visibility = "private"
    run.save()
    assert _seen(personas.clubmate, personas.club) == set()


def test_an_analysis_shows_its_score_but_links_only_when_shared(personas, client_for):
    analysis = VideoAnalysisFactory(owner=personas.member, visibility="coaches", score=71.0)
    feed.post(personas.member, FeedItem.Kind.ANALYSIS, analysis=analysis)
    html = client_for(personas.clubmate).get("/clubs/riverside/feed/").content.decode()
    assert "score 71" in html and f"/form/{analysis.pk}/" not in html


def test_a_member_who_hides_from_clubs_shows_no_analysis_or_drill(personas):
    personas.member.show_on_leaderboards = False
    personas.member.save()
    feed.post(
        personas.member,
        FeedItem.Kind.ANALYSIS,
        analysis=VideoAnalysisFactory(owner=personas.member),
    )
    assignment = assign_one(personas.coach, personas.member)
    services.log_session(
        athlete=personas.member, assignment=assignment, done_on=assignment.starts_on
    )
    assert _seen(personas.clubmate, personas.club) == set()


def test_a_logged_session_is_a_drill_item(personas):
    assignment = assign_one(personas.coach, personas.member)
    services.log_session(
        athlete=personas.member, assignment=assignment, done_on=assignment.starts_on
    )
    assert _seen(personas.clubmate, personas.club) == {"drill:member"}


def test_an_outsider_sees_no_feed_and_cannot_give_kudos(personas, client_for):
    _run(personas.member, "club")
    item = FeedItem.objects.get()
    outsider = client_for(personas.outsider)
    assert outsider.get("/clubs/riverside/feed/").status_code == 404
    assert outsider.post(f"/feed/{item.pk}/kudos/").status_code == 404
    assert not item.kudos.exists()


def test_kudos_toggle_and_comments_on_a_visible_item(personas, client_for):
    _run(personas.member, "club")
    item = FeedItem.objects.get()
    client = client_for(personas.clubmate)
    html = client.post(f"/feed/{item.pk}/kudos/", HTTP_HX_REQUEST="true").content.decode()
    assert "Kudos (1)" in html
    client.post(f"/feed/{item.pk}/comments/", {"body": "Strong!"}, HTTP_HX_REQUEST="true")
    assert item.comments.get().body == "Strong!"
    client.post(f"/feed/{item.pk}/kudos/", HTTP_HX_REQUEST="true")
    assert not item.kudos.exists()


def test_a_clubmate_cannot_reach_a_private_items_kudos(personas, client_for):
    _run(personas.member, "private")
    item = FeedItem.objects.get()
    assert client_for(personas.clubmate).post(f"/feed/{item.pk}/kudos/").status_code == 404


def test_only_coaches_and_the_owner_shout_out(personas):
    feed.shout_out(coach=personas.coach, club=personas.club, text="Great turnout on Sunday!")
    with pytest.raises(ClubActionError):
        feed.shout_out(coach=personas.member, club=personas.club, text="Me too")
    assert _seen(personas.clubmate, personas.club) == {"shoutout:coach"}


def test_the_feed_api_is_scoped_like_the_page(personas):
    _run(personas.member, "club")
    _run(personas.member, "private")
    api = APIClient()
    api.force_authenticate(personas.clubmate)
    body = api.get(f"/api/clubs/{personas.club.pk}/feed/").json()
    assert [item["kind"] for item in body] == ["run"]
    api.force_authenticate(personas.outsider)
    assert api.get(f"/api/clubs/{personas.club.pk}/feed/").status_code == 404
