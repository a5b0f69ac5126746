"""Every media view answers byte ranges: 206 with Content-Range for one range, 416 past the
end, Accept-Ranges on every answer, under the same access checks as the whole file. Without
ranges a player cannot seek well, and Safari on iOS plays nothing."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from analysis.fit_import import import_fit_bytes
from config.media import ByteRange, Unsatisfiable, parse_range
from tests.analysis.fitdata import fit_bytes
from tests.analysis.videodata import clip
from tests.factories import VideoAnalysisFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def analysis(personas):
    made = VideoAnalysisFactory(owner=personas.member, clip=None)
    made.clip.save("clip.mp4", ContentFile(clip("male_side.mp4").read_bytes()))
    return made


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _get_clip(client, analysis, **headers):
    return client.get(reverse("analysis-clip", args=[analysis.pk]), headers=headers)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-1023", ByteRange(0, 1023)),
        ("bytes=100-", ByteRange(100, 9999)),
        ("bytes=-500", ByteRange(9500, 9999)),
        ("bytes=-20000", ByteRange(0, 9999)),
        ("bytes=9000-20000", ByteRange(9000, 9999)),
        ("BYTES=0-0", ByteRange(0, 0)),
        ("bytes=0-1,5-9", None),  # several ranges: the whole file instead
        ("bytes=5-1", None),  # malformed: ignored
        ("items=0-5", None),
        ("bytes=-", None),
        ("bytes=abc", None),
    ],
)
def test_a_range_header_is_read_as_the_rfc_says(header, expected):
    assert parse_range(header, size=10_000) == expected


@pytest.mark.parametrize("header", ["bytes=10000-", "bytes=10000-10005", "bytes=-0"])
def test_a_range_past_the_end_cannot_be_satisfied(header):
    with pytest.raises(Unsatisfiable):
        parse_range(header, size=10_000)


def test_a_ranged_request_for_a_clip_answers_206_with_just_those_bytes(
    analysis, personas, client_for
):
    whole = clip("male_side.mp4").read_bytes()
    response = _get_clip(client_for(personas.member), analysis, Range="bytes=0-1023")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-1023/{len(whole)}"
    assert response["Content-Length"] == "1024"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert _body(response) == whole[:1024]


def test_the_end_of_a_clip_and_an_open_range_are_served(analysis, personas, client_for):
    whole = clip("male_side.mp4").read_bytes()
    client = client_for(personas.coach)
    tail = _get_clip(client, analysis, Range="bytes=-500")
    assert tail.status_code == 206 and _body(tail) == whole[-500:]
    rest = _get_clip(client, analysis, Range=f"bytes={len(whole) - 10}-")
    assert _body(rest) == whole[-10:]
    assert rest["Content-Range"] == f"bytes {len(whole) - 10}-{len(whole) - 1}/{len(whole)}"


def test_a_range_past_the_end_answers_416_with_the_size(analysis, personas, client_for):
    size = len(clip("male_side.mp4").read_bytes())
    response = _get_clip(client_for(personas.member), analysis, Range=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert "sandbox" in response["Content-Security-Policy"]


def test_without_a_range_the_whole_clip_comes_with_accept_ranges(analysis, personas, client_for):
    response = _get_clip(client_for(personas.member), analysis)
    assert response.status_code == 200 and response["Accept-Ranges"] == "bytes"
    assert _body(response) == clip("male_side.mp4").read_bytes()
    assert response["Cache-Control"] == "private, no-cache"


def test_a_range_is_no_way_around_access(analysis, personas, client_for):
    for stranger in (personas.outsider, personas.clubmate):
        response = _get_clip(client_for(stranger), analysis, Range="bytes=0-1023")
        assert response.status_code == 404


def test_a_range_of_an_older_version_gets_the_whole_file(analysis, personas, client_for):
    client = client_for(personas.member)
    etag = _get_clip(client, analysis)["ETag"]
    stale = _get_clip(client, analysis, Range="bytes=0-9", **{"If-Range": '"0-0"'})
    assert stale.status_code == 200
    fresh = _get_clip(client, analysis, Range="bytes=0-9", **{"If-Range": etag})
    assert fresh.status_code == 206
    assert _get_clip(client, analysis, **{"If-None-Match": etag}).status_code == 304


def test_a_clip_missing_from_disk_is_a_404_not_a_500(analysis, personas, client_for):
    Path(analysis.clip.path).unlink()
    assert _get_clip(client_for(personas.member), analysis).status_code == 404


def test_keyframes_answer_ranges(personas, client_for):
    analysis = VideoAnalysisFactory(owner=personas.member)
    analysis.keyframe_dir.mkdir(parents=True)
    (analysis.keyframe_dir / "contact.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    url = reverse("analysis-keyframe", args=[analysis.pk, "contact"])
    response = client_for(personas.coach).get(url, headers={"Range": "bytes=0-7"})
    assert response.status_code == 206 and _body(response) == b"\x89PNG\r\n\x1a\n"
    assert response["Content-Type"] == "image/png"


def test_fit_originals_answer_ranges(personas, client_for):
    data = fit_bytes("activity-small-fenix2-run.fit")
    run = import_fit_bytes(owner=personas.member, data=data, filename="a.fit").run
    url = reverse("run-original", args=[run.pk])
    response = client_for(personas.member).get(url, headers={"Range": "bytes=4-11"})
    assert response.status_code == 206 and _body(response) == data[4:12]
    assert response["Content-Disposition"] == f'attachment; filename="run-{run.pk}.fit"'


def test_a_clip_path_that_is_no_file_is_a_404_not_a_500(analysis, personas, client_for):
    path = Path(analysis.clip.path)
    path.unlink()
    path.mkdir()  # what a botched restore of the media folder leaves
    assert _get_clip(client_for(personas.member), analysis).status_code == 404
