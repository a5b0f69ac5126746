from django.core.management.base import BaseCommand, CommandError, CommandParser

from analysis import job_runner
from analysis.models import Job


class Command(BaseCommand):
    help = "Run one background job in this process (the same code a Celery worker calls)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job_id", type=int)

    def handle(self, *args: object, job_id: int, **options: object) -> None:
        if not Job.objects.filter(pk=job_id).exists():
            raise CommandError(f"No job {job_id}.")
        try:
            job_runner.execute(job_id, worker=job_runner.worker_identity())
        except Exception as exc:  # the row records it; say it plainly here too
            raise CommandError(f"job {job_id} failed: {exc}") from exc
        job = Job.objects.get(pk=job_id)
        self.stdout.write(
            f"job {job.pk} ({job.kind}): {job.state} after {job.attempts} attempt(s)"
            + (f": {job.error}" if job.error else "")
        )
