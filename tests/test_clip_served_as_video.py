"""A clip is only ever a video to a browser: the container is read from the file's bytes, the
stored suffix and the served type follow it, and nothing the uploader named decides either.

The reproduction: a valid MP4 with a page appended, uploaded as `form.html`, was served back
as `text/html` and ran its script as the coach who opened it."""

from pathlib import Path

import cv2
import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from analysis.core.video import containers
from analysis.core.video.pose_io import VideoRejected, probe
from analysis.models import VideoAnalysis
from tests.analysis.videodata import clip
from tests.factories import VideoAnalysisFactory

pytestmark = pytest.mark.django_db

PAGE = b"<!doctype html><html><body><script>fetch('/api/me/')</script></body></html>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def _api_upload(user, name: str, data: bytes):
    client = APIClient()
    client.force_authenticate(user)
    upload = SimpleUploadedFile(name, data, content_type="text/html")
    return client.post("/api/analyses/upload/", {"clip": upload}, format="multipart")


def test_an_mp4_with_a_page_appended_named_html_is_served_as_video_mp4(
    personas, client_for, django_capture_on_commit_callbacks
):
    polyglot = clip("male_side.mp4").read_bytes() + PAGE
    with django_capture_on_commit_callbacks(execute=False):
        response = _api_upload(personas.member, "form.html", polyglot)
    assert response.status_code == 202, response.content
    analysis = VideoAnalysis.objects.get(pk=response.json()["id"])
    assert analysis.clip.name.endswith(".mp4") and analysis.clip_name == "form.html"

    served = client_for(personas.coach).get(reverse("analysis-clip", args=[analysis.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "video/mp4"
    assert served["Content-Disposition"] == f'inline; filename="clip-{analysis.pk}.mp4"'
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert "default-src 'none'" in served["Content-Security-Policy"]


def test_a_page_named_mp4_is_refused_before_anything_is_kept(personas, media):
    response = _api_upload(personas.member, "run.mp4", PAGE)
    assert response.status_code == 400
    assert "not a video file" in response.json()["clip"][0]
    assert not VideoAnalysis.objects.exists() and not any(Path(media).rglob("*"))


def test_a_page_with_a_video_appended_is_refused(personas):
    response = _api_upload(personas.member, "side.mp4", PAGE + clip("male_side.mp4").read_bytes())
    assert response.status_code == 400 and not VideoAnalysis.objects.exists()


def test_a_clip_stored_before_the_check_under_an_html_name_is_still_served_as_video(
    personas, client_for
):
    analysis = VideoAnalysisFactory(owner=personas.member, clip=None)
    analysis.clip.save("form.html", ContentFile(clip("male_side.mp4").read_bytes() + PAGE))
    served = client_for(personas.member).get(reverse("analysis-clip", args=[analysis.pk]))
    assert served["Content-Type"] == "video/mp4" and "html" not in served["Content-Disposition"]


def test_a_stored_file_that_is_no_video_is_not_served_at_all(personas, client_for):
    analysis = VideoAnalysisFactory(owner=personas.member, clip=None)
    analysis.clip.save("form.mp4", ContentFile(PAGE))
    served = client_for(personas.member).get(reverse("analysis-clip", args=[analysis.pk]))
    assert served.status_code == 404


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", containers.MP4),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", containers.MP4),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", containers.MOV),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", containers.MOV),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", containers.WEBM),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", containers.MATROSKA),
        (b"RIFF\x00\x10\x00\x00AVI LIST", containers.AVI),
        (b"RIFF\x00\x10\x00\x00WAVEfmt ", None),
        (b"<!doctype html><html>", None),
        (b"GIF89a\x01\x00", None),
        (b"", None),
    ],
)
def test_containers_are_told_by_their_signature(head, expected):
    assert containers.sniff(head) == expected


def _write(path: Path, fourcc: str) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), 25.0, (64, 48))
    frame = np.zeros((48, 64, 3), np.uint8)
    for i in range(75):  # 3 s
        frame[:] = i
        writer.write(frame)
    writer.release()
    return path


@pytest.mark.parametrize(
    ("name", "fourcc", "expected"),
    [
        ("a.avi", "MJPG", containers.AVI),
        ("a.mkv", "MJPG", containers.MATROSKA),
        ("a.mov", "mp4v", containers.MOV),
        ("a.mp4", "mp4v", containers.MP4),
    ],
)
def test_the_probe_names_the_container_of_a_real_file_whatever_it_is_called(
    tmp_path, name, fourcc, expected
):
    written = _write(tmp_path / name, fourcc)
    renamed = written.rename(tmp_path / "upload.html")
    assert probe(renamed).container == expected


def test_the_probe_refuses_a_container_it_does_not_take(tmp_path):
    gif = tmp_path / "run.mp4"
    gif.write_bytes(b"GIF89a" + bytes(200))
    with pytest.raises(VideoRejected, match="we take MP4, QuickTime, WebM, Matroska, AVI"):
        probe(gif)


def test_a_refused_upload_echoes_its_name_as_plain_text(personas, client_for):
    name = "<img src=x onerror=alert(1)>.mp4"
    fake = SimpleUploadedFile(name, PAGE, content_type="video/mp4")
    response = client_for(personas.member).post(reverse("analysis-upload"), {"clip": fake})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
