"""A file over its limit that slipped under the body guard (within the multipart overhead, or
through a client that is not the ASGI server) is still refused by its view: 413, a message that
names the file and the limit, and nothing stored."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from analysis.models import Job, VideoAnalysis
from config import limits

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limits(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    monkeypatch.setattr(limits, "FIT_FILE", limits.BodyLimit(1000, "a FIT file"))
    monkeypatch.setattr(limits, "CLIP_FILE", limits.BodyLimit(1000, "a clip"))


def _file(name: str, size: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"\0" * size)


def test_a_web_fit_upload_over_the_limit_gets_413(client_for, personas):
    response = client_for(personas.member).post(
        reverse("run-upload"), {"file": _file("big.fit", 1001)}
    )
    assert response.status_code == 413
    assert (
        response.content.decode()
        == "big.fit (1 kB) is too large: the limit for a FIT file is 1 kB."
    )
    assert not Job.objects.exists()


def test_an_api_fit_upload_over_the_limit_gets_413(personas):
    client = APIClient()
    client.force_authenticate(personas.member)
    response = client.post(
        "/api/runs/upload/", {"file": _file("big.fit", 1001)}, format="multipart"
    )
    assert response.status_code == 413 and "the limit for a FIT file" in response.json()["detail"]
    assert not Job.objects.exists()


def test_a_web_clip_over_the_limit_gets_413(client_for, personas):
    response = client_for(personas.member).post(
        reverse("analysis-upload"), {"clip": _file("run.mp4", 1001)}
    )
    assert response.status_code == 413 and "the limit for a clip" in response.content.decode()
    assert not VideoAnalysis.objects.exists()


def test_an_api_clip_over_the_limit_gets_413(personas):
    client = APIClient()
    client.force_authenticate(personas.member)
    response = client.post(
        "/api/analyses/upload/", {"clip": _file("run.mp4", 1001)}, format="multipart"
    )
    assert response.status_code == 413 and "the limit for a clip" in response.json()["detail"]
    assert not VideoAnalysis.objects.exists()
