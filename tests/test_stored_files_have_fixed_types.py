"""Every file a member stored is served with a type we chose and a policy under which nothing
in it runs: FIT originals, keyframes and the export, whatever the uploader named them."""

import pytest
from django.urls import reverse

from analysis.fit_import import import_fit_bytes
from tests.analysis.fitdata import fit_bytes
from tests.factories import VideoAnalysisFactory

pytestmark = pytest.mark.django_db

FIT = "activity-small-fenix2-run.fit"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _inert(response) -> None:
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_fit_file_uploaded_as_html_downloads_as_a_fit_file(personas, client_for):
    run = import_fit_bytes(owner=personas.member, data=fit_bytes(FIT), filename="form.html").run
    response = client_for(personas.member).get(reverse("run-original", args=[run.pk]))
    assert response["Content-Type"] == "application/vnd.ant.fit"
    assert response["Content-Disposition"] == f'attachment; filename="run-{run.pk}.fit"'
    _inert(response)


def test_a_keyframe_is_a_png_and_inert(personas, client_for):
    analysis = VideoAnalysisFactory(owner=personas.member)
    analysis.keyframe_dir.mkdir(parents=True)
    (analysis.keyframe_dir / "contact.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    response = client_for(personas.coach).get(
        reverse("analysis-keyframe", args=[analysis.pk, "contact"])
    )
    assert response["Content-Type"] == "image/png"
    _inert(response)


def test_the_export_is_a_zip_attachment(personas, client_for):
    response = client_for(personas.member).get(reverse("account-export"))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    _inert(response)
