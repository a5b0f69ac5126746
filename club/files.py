"""Members' stored files leave with their rows: removed once the deletion has committed."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction


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
