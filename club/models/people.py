"""People and groups: users, clubs, memberships."""

from __future__ import annotations

import secrets
import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify


def _validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            f"{value!r} is not a known time zone (use a name like Europe/London)."
        )


class RunclubUserManager(UserManager["User"]):
    def athletes_of(self, coach: User) -> models.QuerySet[User]:
        """People in the clubs where `coach` holds the coach role. A coach of no club has none:
        the lookup goes through the coach's own memberships, never through a missing value."""
        if not coach.is_authenticated:
            return self.none()
        clubs = Membership.objects.filter(user=coach, role=Membership.Role.COACH).values("club_id")
        return self.filter(memberships__club_id__in=clubs).exclude(pk=coach.pk).distinct()

    def coaches_of(self, athlete: User) -> models.QuerySet[User]:
        clubs = Membership.objects.filter(user=athlete).values("club_id")
        coaching = Membership.objects.filter(club_id__in=clubs, role=Membership.Role.COACH)
        return self.filter(pk__in=coaching.values("user_id")).exclude(pk=athlete.pk)

    def clubmates_of(self, user: User) -> models.QuerySet[User]:
        if not user.is_authenticated:
            return self.none()
        clubs = Membership.objects.filter(user=user).values("club_id")
        return self.filter(memberships__club_id__in=clubs).exclude(pk=user.pk).distinct()


class User(AbstractUser):
    """A person. Body measures are optional; later they personalise cadence and form targets."""

    class Sex(models.TextChoices):
        UNSPECIFIED = "", "Prefer not to say"
        FEMALE = "f", "Female"
        MALE = "m", "Male"
        OTHER = "x", "Other"

    class Units(models.TextChoices):
        METRIC = "metric", "Metric (km, cm)"
        IMPERIAL = "imperial", "Imperial (mi, in)"

    height_cm = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(100), MaxValueValidator(250)]
    )
    leg_length_cm = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Floor to the top of the hip bone, standing.",
        validators=[MinValueValidator(50), MaxValueValidator(140)],
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, default="")
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[_validate_time_zone])
    units = models.CharField(max_length=8, choices=Units.choices, default=Units.METRIC)

    objects = RunclubUserManager()

    # What a member edits about themselves, on the profile page and over the API.
    PROFILE_FIELDS = (
        "first_name",
        "last_name",
        "email",
        "height_cm",
        "leg_length_cm",
        "sex",
        "birth_year",
        "time_zone",
        "units",
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")


def _new_invite_code() -> str:
    return secrets.token_urlsafe(9)


class ClubQuerySet(models.QuerySet["Club"]):
    def for_user(self, user: User) -> ClubQuerySet:
        """Clubs the user belongs to, in any role. Anonymous users belong to none."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class Club(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=110, unique=True)
    description = models.TextField(blank=True)
    invite_code = models.CharField(max_length=32, unique=True, default=_new_invite_code)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClubQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("club-detail", args=[self.slug])

    def get_invite_url(self) -> str:
        return reverse("club-invite", args=[self.invite_code])

    @classmethod
    @transaction.atomic
    def create_with_owner(cls, *, owner: User, name: str, description: str = "") -> Club:
        club = cls.objects.create(name=name, slug=cls._free_slug(name), description=description)
        Membership.objects.create(club=club, user=owner, role=Membership.Role.OWNER)
        return club

    @classmethod
    def _free_slug(cls, name: str) -> str:
        base = slugify(name)[:100] or "club"
        slug, n = base, 2
        while cls.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def role_of(self, user: User) -> str | None:
        if not user.is_authenticated:
            return None
        return self.memberships.filter(user=user).values_list("role", flat=True).first()

    def join(self, user: User) -> Membership:
        """Add the user as a member; joining twice keeps the existing membership and role."""
        membership, _ = Membership.objects.get_or_create(
            club=self, user=user, defaults={"role": Membership.Role.MEMBER}
        )
        return membership

    def leave(self, user: User) -> None:
        membership = self.memberships.filter(user=user).first()
        if membership is None:
            raise ClubActionError("You are not a member of this club.")
        if membership.role == Membership.Role.OWNER:
            raise ClubActionError("The owner cannot leave the club.")
        membership.delete()

    def set_role(self, *, actor: User, member: User, role: str) -> Membership:
        """Only the owner names coaches; ownership itself is not handed over this way."""
        if self.role_of(actor) != Membership.Role.OWNER:
            raise ClubActionError("Only the club owner can change roles.")
        if role not in (Membership.Role.COACH, Membership.Role.MEMBER):
            raise ClubActionError("A member can be made a coach or a member.")
        membership = self.memberships.filter(user=member).first()
        if membership is None:
            raise ClubActionError("That person is not a member of this club.")
        if membership.role == Membership.Role.OWNER:
            raise ClubActionError("The owner's role cannot be changed.")
        membership.role = role
        membership.save(update_fields=["role"])
        return membership

    def regenerate_invite_code(self) -> None:
        self.invite_code = _new_invite_code()
        self.save(update_fields=["invite_code"])


class ClubActionError(Exception):
    """A club action the user may not take; the message is shown to them as it is."""


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        COACH = "coach", "Coach"
        MEMBER = "member", "Member"

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["club", "user"], name="one_membership_per_club"),
            models.UniqueConstraint(
                fields=["club"], condition=Q(role="owner"), name="one_owner_per_club"
            ),
        ]
        ordering = ["club", "role", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} in {self.club} ({self.role})"

    @property
    def is_coaching(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.COACH)
