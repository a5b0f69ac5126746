from django.apps import AppConfig


class ClubLifeConfig(AppConfig):
    """Club life has no models of its own (they are club's); it is an app so that its job
    kinds and receivers are registered in every process, after the apps it reads from."""

    name = "club.life"
    label = "club_life"
    verbose_name = "Club life"

    def ready(self) -> None:
        from club.life import (  # noqa: F401
            announcements,  # registers the announcement job kind
            receivers,  # subscribes to the events of the apps below
        )
