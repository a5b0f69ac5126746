"""API tokens: several per member, each named, listed and revocable; only a digest is kept."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

# `last_used_at` is a hint for the member's list, so it is written at most this often.
USE_RECORDED_EVERY_S = 60


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def for_user(self, user: models.Model) -> ApiTokenQuerySet:
        return self.filter(user=user) if user.is_authenticated else self.none()


class ApiToken(models.Model):
    """A key a program signs in with (`Authorization: Token <key>`). The key itself is shown
    once, when it is made; the database holds its SHA-256, so a copy of the database signs
    no one in."""

    # Making a token past this many revokes the one unused the longest, so scripts that ask
    # for a token on every run cannot pile them up.
    MAX_PER_USER = 20

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=60)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False, help_text="Shown to tell keys apart.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @classmethod
    @transaction.atomic
    def issue(cls, *, user: models.Model, name: str) -> tuple[ApiToken, str]:
        """A new token and its key (the only time the key is seen)."""
        key = secrets.token_hex(20)
        token = cls.objects.create(user=user, name=name[:60], digest=digest_of(key), prefix=key[:6])
        recent_first = Coalesce("last_used_at", "created_at").desc()
        stale = cls.objects.filter(user=user).order_by(recent_first, "-id")[cls.MAX_PER_USER :]
        cls.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
        return token, key

    @classmethod
    def holder_of(cls, key: str) -> ApiToken | None:
        """The token for `key` if it exists and its member may still sign in."""
        token = cls.objects.select_related("user").filter(digest=digest_of(key)).first()
        if token is None or not token.user.is_active:
            return None
        token.record_use()
        return token

    def record_use(self) -> None:
        now = timezone.now()
        if self.last_used_at and (now - self.last_used_at).total_seconds() < USE_RECORDED_EVERY_S:
            return
        ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now
