"""Export of everything a member owns, and deletion that leaves no row, file or socket."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile

from analysis.fit_import import import_fit_bytes
from analysis.models import VideoAnalysis
from club.life.account import delete_account, write_export
from club.models import Club, Membership, Run, User
from coaching import services
from coaching.models import Comment
from tests.analysis.fitdata import fit_bytes
from tests.coaching.helpers import assign_one
from tests.factories import RunFactory, VideoAnalysisFactory

pytestmark = pytest.mark.django_db

FIT = "activity-small-fenix2-run.fit"


@pytest.fixture
def owned(personas, settings, tmp_path):
    """A member with a FIT run, a manual run, an analysis with clip and keyframe, a drill log."""
    settings.MEDIA_ROOT = str(tmp_path)
    fit_run = import_fit_bytes(owner=personas.member, data=fit_bytes(FIT), filename=FIT).run
    RunFactory(owner=personas.member)
    analysis = VideoAnalysisFactory(owner=personas.member, clip=None)
    analysis.clip.save("clip.mp4", ContentFile(b"not really a video"), save=True)
    analysis.keyframe_dir.mkdir(parents=True)
    (analysis.keyframe_dir / "contact.png").write_bytes(b"\x89PNG fake")
    assignment = assign_one(personas.coach, personas.member)
    services.log_session(
        athlete=personas.member, assignment=assignment, done_on=assignment.starts_on
    )
    services.comment(author=personas.member, target=analysis, body="Thanks!")
    return {"fit_run": fit_run, "analysis": analysis}


def _export(user) -> zipfile.ZipFile:
    handle = io.BytesIO()
    write_export(user, handle)
    return zipfile.ZipFile(io.BytesIO(handle.getvalue()))


def test_the_export_holds_every_owned_item(personas, owned):
    archive = _export(personas.member)
    runs = json.loads(archive.read("runs.json"))
    analyses = json.loads(archive.read("analyses.json"))
    drills = json.loads(archive.read("drills.json"))
    assert len(runs) == Run.objects.filter(owner=personas.member).count() == 2
    assert [a["id"] for a in analyses] == [owned["analysis"].pk]
    assert analyses[0]["report"]["metrics"] and len(analyses[0]["files"]) == 2
    assert len(drills["assignments"][0]["sessions"]) == 1
    assert json.loads(archive.read("comments.json"))[0]["body"] == "Thanks!"


def test_the_original_fit_file_comes_back_byte_for_byte(personas, owned):
    archive = _export(personas.member)
    run = next(r for r in json.loads(archive.read("runs.json")) if r.get("original_file"))
    data = archive.read(run["original_file"])
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(fit_bytes(FIT)).hexdigest()


def test_the_manifest_checksums_every_file(personas, owned):
    archive = _export(personas.member)
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["path"] for f in manifest["files"]}
    assert listed == set(archive.namelist()) - {"manifest.json"}
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]


def test_the_export_holds_nothing_of_anyone_else(personas, owned):
    RunFactory(owner=personas.clubmate, title="Clubmate's secret tempo", visibility="club")
    archive = _export(personas.member)
    assert b"secret tempo" not in b"".join(archive.read(n) for n in archive.namelist())


def test_the_download_is_a_zip_for_the_signed_in_member_only(personas, owned, client_for):
    response = client_for(personas.member).get("/accounts/export/")
    body = b"".join(response.streaming_content)
    assert response["Content-Disposition"].startswith("attachment")
    assert "runs.json" in zipfile.ZipFile(io.BytesIO(body)).namelist()


def test_deleting_an_account_leaves_no_rows_and_no_files(
    personas, owned, tmp_path, django_capture_on_commit_callbacks
):
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert len(before) == 3  # the FIT original, the clip, the keyframe
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(personas.member)
    assert not User.objects.filter(pk=personas.member.pk).exists()
    assert not Run.objects.filter(owner_id=personas.member.pk).exists()
    assert not VideoAnalysis.objects.filter(owner_id=personas.member.pk).exists()
    assert not Comment.objects.filter(author_id=personas.member.pk).exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_owner_leaving_hands_the_club_to_its_coach(personas):
    delete_account(personas.owner)
    club = Club.objects.get(pk=personas.club.pk)
    assert club.role_of(personas.coach) == Membership.Role.OWNER


def test_a_wrong_password_deletes_nothing(personas, client_for):
    response = client_for(personas.member).post("/accounts/delete/", {"password": "nope"})
    assert response.status_code == 200 and "not your password" in response.content.decode()
    assert User.objects.filter(pk=personas.member.pk).exists()
