from django.apps import AppConfig


class ClubConfig(AppConfig):
    name = "club"
    verbose_name = "Clubs and people"

    def ready(self) -> None:
        from club import (
            auth,  # noqa: F401  (counts failed sign-ins for the throttle)
            services,  # noqa: F401  (connects the sign-out receiver)
        )
