"""Mails the report subscriptions that are due (see reports/subscriptions.py): for operators
who run no Celery beat, e.g. from cron every few minutes. Safe to run at any time and in
parallel with beat: a slot is mailed once."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from storeledger.reports import subscriptions


def _instant(text: str) -> datetime.datetime:
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now must be an ISO 8601 date and time, not {text!r}") from None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=subscriptions.company_zone())
    return value


class Command(BaseCommand):
    help = (
        "Send the report subscriptions due now (or at --now, an ISO time; without an offset "
        "in the company's time zone). Each scheduled slot is mailed once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", type=_instant, default=None, help="e.g. 2026-12-07T08:05")

    def handle(self, *args, **options) -> None:
        summary = subscriptions.send_due(options["now"] or timezone.now())
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.sent} sent, {summary.paused} paused, {summary.failed} failed, "
                f"{summary.skipped} skipped"
            )
        )
