"""The API's one translation of domain errors into HTTP answers (settings: EXCEPTION_HANDLER).

Domain code raises ClubActionError (the message is for the member as it is) and Django's
ValidationError; views let them pass, and this handler answers 400, or 403 for NotAllowed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as ModelValidationError
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from club.models import ClubActionError, NotAllowed


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    return drf_exception_handler(_as_api_error(exc), context)


def _as_api_error(exc: Exception) -> Exception:
    if isinstance(exc, NotAllowed):
        return PermissionDenied(str(exc))
    if isinstance(exc, ClubActionError):
        return ValidationError(str(exc))
    if isinstance(exc, ModelValidationError):
        return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    return exc
