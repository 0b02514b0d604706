"""Adds the month-end stock snapshots the stock summary reads (see reports/snapshots.py)."""

import time

from django.core.management.base import BaseCommand

from storeledger.reports import snapshots


class Command(BaseCommand):
    help = (
        "Add the month-end stock snapshots (one per month start in the company's time zone) "
        "that are missing, up to the last month that is over. Safe to run at any time."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        added = snapshots.build_snapshots()
        for period in added:
            self.stdout.write(f"snapshot at {period.at.isoformat()}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(added)} snapshot(s) added in {time.perf_counter() - started:.1f} s"
            )
        )
