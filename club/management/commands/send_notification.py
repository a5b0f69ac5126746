from django.core.management.base import BaseCommand, CommandError, CommandParser

from club.models import User
from club.services import notify


class Command(BaseCommand):
    help = "Store a notification for a user and push it to their open pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("title")
        parser.add_argument("--body", default="")
        parser.add_argument("--link", default="")

    def handle(self, *args: object, **options: str) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        try:
            notification = notify(
                user, title=options["title"], body=options["body"], link=options["link"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Notification {notification.pk} sent to {user.username}.")
