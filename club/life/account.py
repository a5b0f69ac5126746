"""A member's data leaves with them: one zip of everything they own, and deletion that leaves
no row, no stored file and no open socket behind."""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from pathlib import Path
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from analysis.models import PoseTrack, VideoAnalysis
from club.files import remove_after_commit
from club.models import Club, Membership, Run, User
from club.services import push_to_user
from coaching.models import Assignment, Comment, Drill


def _json(value: Any) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


class _Zip:
    """A zip that records every member's checksum for the manifest."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED)
        self.files: list[dict] = []

    def add_bytes(self, name: str, data: bytes) -> None:
        self.zip.writestr(name, data)
        self.files.append({"path": name, "bytes": len(data), "sha256": _sha(data)})

    def add_file(self, name: str, path: Path) -> None:
        # Clips and FIT files are already compressed: store them as they are.
        self.zip.write(path, name, compress_type=zipfile.ZIP_STORED)
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        self.files.append(
            {"path": name, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}
        )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_export(user: User, handle: IO[bytes]) -> None:
    """Everything `user` owns: profile, runs with original files, analyses with clips and
    keyframes, drills given and done, comments written; JSON plus originals, and a manifest
    with the sha256 of every file."""
    out = _Zip(handle)
    out.add_bytes("profile.json", _json(_profile(user)))
    out.add_bytes("runs.json", _json([_run(out, run) for run in Run.objects.filter(owner=user)]))
    analyses = VideoAnalysis.objects.filter(owner=user)
    out.add_bytes("analyses.json", _json([_analysis(out, a) for a in analyses]))
    out.add_bytes("drills.json", _json(_drills(user)))
    out.add_bytes("comments.json", _json(_comments(user)))
    manifest = {"user": user.username, "exported_at": timezone.now(), "files": out.files}
    out.zip.writestr("manifest.json", _json(manifest))
    out.zip.close()


def _profile(user: User) -> dict:
    fields = {f: getattr(user, f) for f in ("username", "date_joined", *User.PROFILE_FIELDS)}
    fields["clubs"] = list(
        Membership.objects.filter(user=user).values("club__name", "role", "joined_at")
    )
    return fields


def _run(out: _Zip, run: Run) -> dict:
    row = {
        f.name: getattr(run, f.attname)
        for f in Run._meta.concrete_fields
        if f.name not in ("owner", "original")
    }
    if run.original and Path(run.original.path).is_file():
        name = f"runs/{run.pk}{''.join(Path(run.original.name).suffixes)}"
        out.add_file(name, Path(run.original.path))
        row["original_file"] = name
    return row


def _analysis(out: _Zip, analysis: VideoAnalysis) -> dict:
    row = {
        "id": analysis.pk,
        "created_at": analysis.created_at,
        "clip_name": analysis.clip_name,
        "visibility": analysis.visibility,
        "view": analysis.view,
        "score": analysis.score,
        "cadence_spm": analysis.cadence_spm,
        "quality": analysis.quality,
        "report": analysis.report,
        "feedback": _feedback_on(analysis),
        "files": [],
    }
    if analysis.clip and Path(analysis.clip.path).is_file():
        # The suffix says what the bytes are, never what the uploader called the file.
        container = analysis.clip_container()
        name = f"analyses/{analysis.pk}/clip{container.suffix if container else '.bin'}"
        out.add_file(name, Path(analysis.clip.path))
        row["files"].append(name)
    for keyframe in analysis.keyframe_names():
        name = f"analyses/{analysis.pk}/{keyframe}.png"
        out.add_file(name, analysis.keyframe_dir / f"{keyframe}.png")
        row["files"].append(name)
    track = PoseTrack.objects.filter(analysis=analysis).first()
    if track is not None:  # the skeleton of the clip, as GET /api/analyses/{id}/pose/ gives it
        name = f"analyses/{analysis.pk}/pose.json"
        out.add_bytes(name, track.json_bytes())
        row["files"].append(name)
    return row


def _drills(user: User) -> dict:
    received = Assignment.objects.filter(athlete=user).prefetch_related("items__drill", "sessions")
    return {
        "assignments": [
            {
                "title": a.title,
                "coach": a.coach.username,
                "starts_on": a.starts_on,
                "ends_on": a.ends_on,
                "sessions_per_week": a.sessions_per_week,
                "note": a.note,
                "drills": [{"slug": i.drill.slug, "dose": i.dose} for i in a.items.all()],
                "sessions": list(
                    a.sessions.values("done_on", "sets_done", "minutes_done", "effort", "note")
                ),
            }
            for a in received.select_related("coach")
        ],
        "drills_written": list(
            Drill.objects.filter(author=user).values(
                "slug", "name", "category", "purpose", "steps", "dose", "equipment", "targets"
            )
        ),
    }


COMMENT_FIELDS = ("metric", "keyframe", "body", "at_s", "drawing", "drawing_deg", "created_at")


def _comments(user: User) -> list[dict]:
    return list(
        Comment.objects.filter(author=user).values("analysis_id", "run_id", *COMMENT_FIELDS)
    )


def _feedback_on(analysis: VideoAnalysis) -> list[dict]:
    """The coaching thread on one of the member's analyses, their coaches' comments (and the
    moments and drawings pinned to the clip) included: it is about them and their clip."""
    return list(
        Comment.objects.filter(analysis=analysis)
        .order_by("created_at", "id")
        .values("author__username", *COMMENT_FIELDS)
    )


def export_to_tempfile(user: User) -> IO[bytes]:
    """The export in a temporary file (clips make it too big to build in memory)."""
    handle = tempfile.TemporaryFile()
    write_export(user, handle)
    handle.seek(0)
    return handle


def stored_paths(user: User) -> list[Path]:
    """Every file on disk that belongs to the user."""
    paths = [p for run in Run.objects.filter(owner=user) for p in run.stored_paths()]
    for analysis in VideoAnalysis.objects.filter(owner=user):
        paths += analysis.stored_paths()
    return paths


@transaction.atomic
def delete_account(user: User) -> None:
    """Remove the user's rows (cascades), then, once committed, their files; close their
    sockets. Clubs they own pass to a coach, else the longest-standing member, else go."""
    for membership in Membership.objects.filter(user=user, role=Membership.Role.OWNER):
        _hand_over(membership.club, user)
    paths, user_id = stored_paths(user), user.pk
    user.delete()
    remove_after_commit(paths)
    transaction.on_commit(lambda: push_to_user(user_id, "account.closed", user_id))


def _hand_over(club: Club, leaving: User) -> None:
    heirs = club.memberships.exclude(user=leaving).order_by("-role", "joined_at")
    heir = heirs.filter(role=Membership.Role.COACH).first() or heirs.first()
    if heir is None:
        club.delete()
        return
    club.memberships.filter(user=leaving).delete()
    heir.role = Membership.Role.OWNER
    heir.save(update_fields=["role"])
