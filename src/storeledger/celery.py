"""The Celery app. Workers: `celery -A storeledger worker`; periodic jobs: `celery -A storeledger beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storeledger.settings")

app = Celery("storeledger")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
