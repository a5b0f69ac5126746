from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_catalogue(sender: AppConfig, **kwargs: object) -> None:
    from coaching.models import Drill

    Drill.objects.using(kwargs.get("using") or "default").sync_catalogue()


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        # After every migrate (and every test database flush) the catalogue is complete.
        post_migrate.connect(_seed_catalogue, sender=self)
        from coaching import receivers  # noqa: F401  (subscribes to the analysis app's events)
