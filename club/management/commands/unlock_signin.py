"""Lift a sign-in throttle before its window ends (a member locked out by someone guessing)."""

from __future__ import annotations

from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError
from django.test import RequestFactory

from club import throttle


class Command(BaseCommand):
    help = "Forget failed sign-ins for a username and/or an address, lifting their throttle."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", help="the account as typed at sign-in")
        parser.add_argument("--address", help="a client IP address (IPv6: any in its /64)")

    def handle(self, *args: object, username: str | None, address: str | None, **_: object) -> None:
        if not username and not address:
            raise CommandError("Name a --username, an --address, or both.")
        request = RequestFactory().get("/", REMOTE_ADDR=address or "")
        throttle.forget(request, username, address=bool(address))
        self.stdout.write(
            "Sign-in throttle lifted for " + " and ".join(filter(None, [username, address])) + "."
        )
