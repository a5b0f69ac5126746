"""Members' files: an upload over its limit is refused by name; stored files leave with their
rows, removed once the deletion has committed."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpResponse

from config import limits


def refuse_oversized(upload: UploadedFile, limit: limits.BodyLimit) -> HttpResponse | None:
    """A 413 naming the file and the limit when the upload is over it, else None. Plain text:
    the file name is the uploader's and must never be read as markup."""
    if upload.size <= limit.max_bytes:
        return None
    message = limits.too_large(limit, size_bytes=upload.size, name=upload.name)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


def remove_after_commit(paths: Iterable[Path]) -> None:
    """Once the surrounding transaction commits, remove these files and folders. A deletion
    rolled back keeps them; nothing outside MEDIA_ROOT is ever touched."""
    paths = list(paths)
    transaction.on_commit(lambda: _remove(paths))


def _remove(paths: list[Path]) -> None:
    media = Path(settings.MEDIA_ROOT).resolve()
    for path in paths:
        if not path.resolve().is_relative_to(media):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
