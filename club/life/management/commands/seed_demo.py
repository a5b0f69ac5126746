from django.core.management.base import BaseCommand

from analysis.demo import seed_demo_analyses
from club.demo import DEMO_PASSWORD, DEMO_PEOPLE, seed_demo
from coaching.demo import seed_coaching


class Command(BaseCommand):
    help = "Create the demo club 'Riverside Runners' and its people (safe to run again)."

    def handle(self, *args: object, **options: object) -> None:
        club = seed_demo()
        seed_coaching(club)
        seed_demo_analyses()
        self.stdout.write(f"Demo club: {club.name} (invite code {club.invite_code})")
        for person in DEMO_PEOPLE:
            self.stdout.write(f"  {person.role:<7} {person.username:<8} password: {DEMO_PASSWORD}")
