"""Deleting a run or an analysis takes its files with it, but only once the deletion commits:
a deletion rolled back keeps both the row and the files."""

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from analysis.models import VideoAnalysis
from club.models import Run
from tests.factories import RunFactory, VideoAnalysisFactory

pytestmark = pytest.mark.django_db


class Undo(Exception):
    pass


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def _run_with_file(owner) -> Run:
    run = RunFactory(owner=owner, source=Run.Source.FIT)
    run.original.save("ride.fit", ContentFile(b"fit bytes"))
    return run


def _analysis_with_files(owner) -> VideoAnalysis:
    analysis = VideoAnalysisFactory(owner=owner, clip=None)
    analysis.clip.save("clip.mp4", ContentFile(b"video bytes"))
    analysis.keyframe_dir.mkdir(parents=True)
    (analysis.keyframe_dir / "contact.png").write_bytes(b"png")
    return analysis


def test_a_deleted_run_loses_its_file_after_commit(
    personas, media, django_capture_on_commit_callbacks
):
    run = _run_with_file(personas.member)
    path = run.stored_paths()[0]
    with django_capture_on_commit_callbacks(execute=False) as pending:
        run.delete()
    assert not Run.objects.filter(original=run.original.name).exists() and path.is_file()
    for callback in pending:
        callback()
    assert not path.exists()


def test_a_deleted_analysis_loses_its_clip_and_keyframes(
    personas, media, django_capture_on_commit_callbacks
):
    analysis = _analysis_with_files(personas.member)
    clip, keyframes = analysis.stored_paths()
    with django_capture_on_commit_callbacks(execute=True):
        analysis.delete()
    assert not clip.exists() and not keyframes.exists()


def test_a_deletion_rolled_back_keeps_row_and_files(
    personas, media, django_capture_on_commit_callbacks
):
    run = _run_with_file(personas.member)
    analysis = _analysis_with_files(personas.member)
    paths = [*run.stored_paths(), *analysis.stored_paths()]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Undo):
        with transaction.atomic():
            run.delete()
            analysis.delete()
            raise Undo
    assert Run.objects.filter(original=run.original.name).exists()
    assert VideoAnalysis.objects.filter(clip=analysis.clip.name).exists()
    assert all(path.exists() for path in paths)
