"""People and groups: users, clubs, memberships."""

from __future__ import annotations

import datetime
import secrets
import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from club.usernames import skeleton


def _validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            f"{value!r} is not a known time zone (use a name like Europe/London)."
        )


class Visibility(models.TextChoices):
    """Who sees a member's run or analysis (and, by default, the next one they add)."""

    PRIVATE = "private", "Only me"
    COACHES = "coaches", "Me and my coaches"
    CLUB = "club", "My clubs"


# The visibilities an owner's coaches see; clubmates see only CLUB.
SEEN_BY_COACHES = (Visibility.COACHES, Visibility.CLUB)


def coaches_see(visibility: str) -> bool:
    """Whether an item with this visibility shows to its owner's coaches."""
    return visibility in SEEN_BY_COACHES


class RunclubUserManager(UserManager["User"]):
    def athletes_of(self, coach: User) -> models.QuerySet[User]:
        """People in the clubs where `coach` holds the coach role. A coach of no club has none:
        the lookup goes through the coach's own memberships, never through a missing value."""
        if not coach.is_authenticated:
            return self.none()
        clubs = Membership.objects.coaching().filter(user=coach).values("club_id")
        in_clubs = Membership.objects.filter(club_id__in=clubs).values("user_id")
        linked = CoachLink.objects.filter(coach=coach, status=CoachLink.Status.ACCEPTED)
        return self.filter(Q(pk__in=in_clubs) | Q(pk__in=linked.values("athlete_id"))).exclude(
            pk=coach.pk
        )

    def coaches_of(self, athlete: User) -> models.QuerySet[User]:
        """Coaches of the athlete's clubs, plus coaches linked one to one who were accepted."""
        if not athlete.is_authenticated:
            return self.none()
        clubs = Membership.objects.filter(user=athlete).values("club_id")
        coaching = Membership.objects.coaching().filter(club_id__in=clubs)
        linked = CoachLink.objects.filter(athlete=athlete, status=CoachLink.Status.ACCEPTED)
        return self.filter(
            Q(pk__in=coaching.values("user_id")) | Q(pk__in=linked.values("coach_id"))
        ).exclude(pk=athlete.pk)

    def is_coach_of(self, coach: User, athlete: User) -> bool:
        return self.athletes_of(coach).filter(pk=athlete.pk).exists()

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
    default_visibility = models.CharField(
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.COACHES,
        help_text="Who sees a new run or analysis of yours; each item can be changed later.",
    )
    show_on_leaderboards = models.BooleanField(
        default=True,
        help_text="Rank my form scores and their change on my clubs' boards (numbers only).",
    )

    # What the username looks like (club.usernames.skeleton): one look, one member.
    username_skeleton = models.CharField(max_length=600, blank=True, db_index=True, editable=False)

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
        "default_visibility",
        "show_on_leaderboards",
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        """Refuse a name that reads like another member's (sign-up, admin, any model form)."""
        super().clean()
        if not self.username:
            return  # already refused by the field's own checks
        self.username_skeleton = skeleton(self.username)
        others = User.objects.exclude(pk=self.pk)
        if others.filter(
            Q(username_skeleton=self.username_skeleton) | Q(username__iexact=self.username)
        ).exists():
            raise ValidationError(
                {
                    "username": "That name looks the same as an existing member's on a page. "
                    "Choose one that reads differently."
                }
            )

    def save(self, *args: object, **kwargs: object) -> None:
        self.username_skeleton = skeleton(self.username or "")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_skeleton"}
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            # A new password makes every API token made under the old one worthless.
            self.api_tokens.all().delete()

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

    def coached_by(self, user: User) -> ClubQuerySet:
        """Clubs whose members `user` coaches (see MembershipQuerySet.coaching)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Membership.objects.coaching().filter(user=user).values("club_id"))


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

    def is_coached_by(self, user: User) -> bool:
        return Club.objects.coached_by(user).filter(pk=self.pk).exists()

    def may_address(self, user: User) -> bool:
        """The owner and the coaches speak to the whole club (announcements, shout-outs)."""
        return self.role_of(user) in Membership.ADDRESSES_CLUB

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
            raise NotAllowed("You are not a member of this club.")
        if membership.role == Membership.Role.OWNER:
            raise NotAllowed("The owner cannot leave the club.")
        membership.delete()

    def set_role(self, *, actor: User, member: User, role: str) -> Membership:
        """Only the owner names coaches; ownership itself is not handed over this way."""
        if self.role_of(actor) != Membership.Role.OWNER:
            raise NotAllowed("Only the club owner can change roles.")
        if role not in (Membership.Role.COACH, Membership.Role.MEMBER):
            raise NotAllowed("A member can be made a coach or a member.")
        membership = self.memberships.filter(user=member).first()
        if membership is None:
            raise NotAllowed("That person is not a member of this club.")
        if membership.role == Membership.Role.OWNER:
            raise NotAllowed("The owner's role cannot be changed.")
        membership.role = role
        membership.save(update_fields=["role"])
        return membership


class ClubActionError(Exception):
    """A club action the user may not take; the message is shown to them as it is."""


class NotAllowed(ClubActionError):
    """The user lacks the standing for this action at all (the API answers 403, not 400)."""


class MembershipQuerySet(models.QuerySet["Membership"]):
    def coaching(self) -> MembershipQuerySet:
        """Who coaches whom in a club: its coaches coach its members. The owner runs the club
        and coaches nobody by owning it (an owner who coaches is named coach of another)."""
        return self.filter(role=Membership.Role.COACH)


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        COACH = "coach", "Coach"
        MEMBER = "member", "Member"

    # Who speaks to the whole club: Club.may_address.
    ADDRESSES_CLUB = (Role.OWNER, Role.COACH)

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

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


class CoachLink(models.Model):
    """A one-to-one coaching relationship outside any club: the coach invites, the athlete
    accepts. Only an accepted link lets the coach see anything."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        ENDED = "ended", "Ended"

    # After an athlete declines, the same coach may not ask again for this long; and no coach
    # sends more than this many invitations a day (a decline is an answer, not a prompt).
    QUIET_AFTER_DECLINE = datetime.timedelta(days=30)
    INVITES_PER_DAY = 20

    coach = models.ForeignKey(User, on_delete=models.CASCADE, related_name="athlete_links")
    athlete = models.ForeignKey(User, on_delete=models.CASCADE, related_name="coach_links")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.INVITED)
    created_at = models.DateTimeField(auto_now_add=True)
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coach", "athlete"], name="one_link_per_pair"),
            models.CheckConstraint(condition=~Q(coach=F("athlete")), name="no_self_coaching"),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.athlete} ({self.status})"

    @classmethod
    def invite(cls, *, coach: User, athlete: User) -> CoachLink:
        if coach.pk == athlete.pk:
            raise ClubActionError("You cannot coach yourself.")
        now = timezone.now()
        with transaction.atomic():
            link, new = cls.objects.select_for_update().get_or_create(coach=coach, athlete=athlete)
            link._check_may_invite(now, new=new)
            link.status, link.responded_at, link.invited_at = cls.Status.INVITED, None, now
            link.save(update_fields=["status", "responded_at", "invited_at"])
        return link

    def _check_may_invite(self, now: datetime.datetime, *, new: bool) -> None:
        name = self.athlete.display_name
        if self.status == self.Status.ACCEPTED:
            raise ClubActionError(f"You already coach {name}.")
        if self.status == self.Status.INVITED and not new:
            raise ClubActionError(f"You have invited {name}; they have not answered yet.")
        quiet_until = (self.responded_at or now) + self.QUIET_AFTER_DECLINE
        if self.status == self.Status.DECLINED and now < quiet_until:
            raise ClubActionError(
                f"{name} declined your invitation; you can ask again from {quiet_until:%d %b %Y}."
            )
        day_ago = now - datetime.timedelta(days=1)
        others = CoachLink.objects.filter(coach_id=self.coach_id, invited_at__gt=day_ago)
        if others.exclude(pk=self.pk).count() >= self.INVITES_PER_DAY:
            raise ClubActionError(
                f"You have sent {self.INVITES_PER_DAY} invitations in the last day; "
                "try again tomorrow."
            )

    def respond(self, *, accept: bool) -> None:
        if self.status != self.Status.INVITED:
            raise ClubActionError("This invitation has already been answered.")
        self.status = self.Status.ACCEPTED if accept else self.Status.DECLINED
        self.responded_at = timezone.now()
        self.save(update_fields=["status", "responded_at"])

    def end(self) -> None:
        self.status, self.responded_at = self.Status.ENDED, timezone.now()
        self.save(update_fields=["status", "responded_at"])
