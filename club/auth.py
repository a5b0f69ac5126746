"""How people and programs sign in: the throttled password check every sign-in path goes
through (web page, admin, `POST /api/token/`), and API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.http import HttpRequest
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from club import throttle
from club.models import ApiToken, User


class ThrottledModelBackend(ModelBackend):
    """Django's password check, refused outright while the account or the address is
    throttled. `authenticate()` then reports a failure, which is counted too."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if request is not None:
            wait = throttle.retry_after_s(request, username)
            if wait:
                request.signin_retry_after = wait
                raise PermissionDenied(throttle.message(wait))
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _count_failure(
    sender: object, credentials: dict, request: HttpRequest | None = None, **_: Any
) -> None:
    if request is not None:
        throttle.record_failure(request, credentials.get("username"))


@receiver(user_logged_in)
def _clear_account(sender: object, request: HttpRequest | None, user: User, **_: Any) -> None:
    if request is not None:
        throttle.record_success(request, user.get_username())


def throttled_for(request: HttpRequest) -> int:
    """Seconds the last refused sign-in on this request must wait (0 if it was not throttled)."""
    return getattr(request, "signin_retry_after", 0)


class _SaysWhenThrottled:
    """A sign-in form that names the throttle instead of "wrong username or password"."""

    request: HttpRequest | None

    def clean(self) -> dict:
        try:
            return super().clean()
        except ValidationError:
            wait = throttled_for(self.request) if self.request is not None else 0
            if wait:
                raise ValidationError(throttle.message(wait), code="throttled") from None
            raise


class SignInForm(_SaysWhenThrottled, AuthenticationForm):
    pass


class AdminSignInForm(_SaysWhenThrottled, AdminAuthenticationForm):
    pass


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as before, for any of the member's named tokens."""

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = ApiToken.holder_of(key)
        if token is None:
            raise AuthenticationFailed("Invalid or revoked token.")
        return token.user, token
