from django.core.management.base import BaseCommand, CommandParser

from analysis import job_runner


class Command(BaseCommand):
    help = (
        "Re-enqueue jobs that no worker holds: queued ones, and running ones whose lease is lost "
        "(ran out, or its process on this machine ended) or whose worker node (--node) is known "
        "to be gone. Workers do this whenever they connect to the broker, and sweep lost leases "
        "while they run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--node", default="", help="a Celery node name known to be gone")

    def handle(self, *args: object, node: str, **options: object) -> None:
        ids = job_runner.recover_orphans(node=node)
        self.stdout.write(f"re-enqueued {len(ids)} job(s)")
