"""What each person sees of a member's run and analysis, over pages, API and media files, for
every visibility the owner can choose: private, coaches, club."""

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from tests.factories import RunFactory, VideoAnalysisFactory

pytestmark = pytest.mark.django_db

VIEWERS = ["member", "coach", "clubmate", "outsider"]
ALLOWED = {
    "private": {"member"},
    "coaches": {"member", "coach"},
    "club": {"member", "coach", "clubmate"},
}


@pytest.fixture
def items(personas, settings, tmp_path, request):
    settings.MEDIA_ROOT = str(tmp_path)
    visibility = request.param
    analysis = VideoAnalysisFactory(owner=personas.member, visibility=visibility, clip=None)
    # Stored clips passed the probe: at least an MP4 signature (the clip view checks it).
    analysis.clip.save("c.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42 clip"), save=True)
    analysis.keyframe_dir.mkdir(parents=True)
    (analysis.keyframe_dir / "contact.png").write_bytes(b"\x89PNG")
    run = RunFactory(owner=personas.member, visibility=visibility)
    return visibility, run, analysis


def _expect(visibility: str, viewer: str) -> int:
    return 200 if viewer in ALLOWED[visibility] else 404


@pytest.mark.parametrize("items", ["private", "coaches", "club"], indirect=True)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_pages_and_media(personas, client_for, items, viewer):
    visibility, run, analysis = items
    client = client_for(getattr(personas, viewer))
    expected = _expect(visibility, viewer)
    assert client.get(run.get_absolute_url()).status_code == expected
    assert client.get(analysis.get_absolute_url()).status_code == expected
    assert client.get(f"/form/{analysis.pk}/clip/").status_code == expected
    assert client.get(f"/form/{analysis.pk}/keyframe/contact/").status_code == expected


@pytest.mark.parametrize("items", ["private", "coaches", "club"], indirect=True)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_api(personas, items, viewer):
    visibility, run, analysis = items
    api = APIClient()
    api.force_authenticate(getattr(personas, viewer))
    sees = viewer in ALLOWED[visibility]
    assert (run.pk in [r["id"] for r in api.get("/api/runs/").json()["results"]]) == sees
    analyses = [a["id"] for a in api.get("/api/analyses/").json()["results"]]
    assert (analysis.pk in analyses) == sees
    assert api.get(f"/api/analyses/{analysis.pk}/").status_code == _expect(visibility, viewer)


@pytest.mark.parametrize("items", ["club"], indirect=True)
@pytest.mark.parametrize("viewer", ["coach", "clubmate", "outsider"])
def test_only_the_owner_changes_visibility(personas, client_for, items, viewer):
    _, _, analysis = items
    client = client_for(getattr(personas, viewer))
    response = client.post(f"/form/{analysis.pk}/visibility/", {"visibility": "private"})
    assert response.status_code == 404
    analysis.refresh_from_db()
    assert analysis.visibility == "club"


@pytest.mark.parametrize("items", ["club"], indirect=True)
def test_the_owner_narrows_and_the_clubmate_loses_the_clip(personas, client_for, items):
    _, _, analysis = items
    client_for(personas.member).post(f"/form/{analysis.pk}/visibility/", {"visibility": "coaches"})
    assert client_for(personas.clubmate).get(f"/form/{analysis.pk}/clip/").status_code == 404
    assert client_for(personas.coach).get(f"/form/{analysis.pk}/clip/").status_code == 200


def test_a_new_item_follows_the_members_default(personas, client_for):
    personas.member.default_visibility = "private"
    personas.member.save()
    response = client_for(personas.member).get("/runs/new/")
    assert 'value="private" selected' in response.content.decode()
