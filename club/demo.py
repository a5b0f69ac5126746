"""The demo club that `make run` seeds, so a newcomer can sign in and look around."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from club.models import Club, Membership, User

DEMO_PASSWORD = "riverside-demo"
CLUB_NAME = "Riverside Runners"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    role: str
    height_cm: int


DEMO_PEOPLE = (
    DemoPerson("olivia", "Olivia Owner", Membership.Role.OWNER, 168),
    DemoPerson("cora", "Cora Coach", Membership.Role.COACH, 172),
    DemoPerson("mia", "Mia Member", Membership.Role.MEMBER, 163),
    DemoPerson("max", "Max Member", Membership.Role.MEMBER, 184),
    DemoPerson("sam", "Sam Member", Membership.Role.MEMBER, 176),
)


@transaction.atomic
def seed_demo() -> Club:
    """Create what is missing and leave everything else alone, so it can run on every start."""
    club = Club.objects.filter(name=CLUB_NAME).first()
    for person in DEMO_PEOPLE:
        user = _demo_user(person)
        if club is None:
            club = Club.create_with_owner(
                owner=user,
                name=CLUB_NAME,
                description="A friendly club by the river. All paces welcome.",
            )
        if not club.memberships.filter(user=user).exists():
            Membership.objects.create(club=club, user=user, role=person.role)
    return club


def _demo_user(person: DemoPerson) -> User:
    user, created = User.objects.get_or_create(
        username=person.username,
        defaults={"first_name": person.first_name, "height_cm": person.height_cm},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user
