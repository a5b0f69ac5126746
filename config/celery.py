"""The Celery app. Settings live in config.settings under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("runclub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Every worker re-rings unfinished jobs when it (re)connects and sweeps lost leases while up.
app.steps["consumer"].add("analysis.tasks:JobRecovery")
