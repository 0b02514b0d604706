"""`manage.py load_demo`: load the demo chain (鲜选连锁超市) once; a second run does nothing."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from storeledger.demo import data, loader


class Command(BaseCommand):
    help = (
        "Load a demo store chain (head office, central warehouse, three stores, ~200 SKUs, "
        "suppliers, members, users) and ~90 days of stock history posted through the real "
        "services. Does nothing if the demo is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--small",
            action="store_true",
            help="a reduced data set (about 25 SKUs, 12 days) for tests and quick looks",
        )
        parser.add_argument(
            "--days", type=int, default=None, help="days of history (default 90; 12 with --small)"
        )
        parser.add_argument("--seed", type=int, default=20261129, help="random seed")
        parser.add_argument(
            "--force",
            action="store_true",
            help="load into a database other than the local SQLite file under var/ "
            "(e.g. a PostgreSQL database for development); never into a production database",
        )

    def handle(self, *args, **options):
        if not options["force"] and not local_sqlite_database():
            raise CommandError(
                "load_demo only loads into the local SQLite database under var/ (the default "
                "DATABASE_URL): the demo creates users with a published password, among them "
                "the superuser admin/demo12345. To load it into this database anyway (a "
                "development or test database, never production), add --force."
            )
        if loader.is_loaded():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        if loader.has_other_data():
            raise CommandError(
                "The database already holds stores or SKUs that are not the demo's; "
                "load_demo only fills an empty database."
            )
        size = loader.SMALL if options["small"] else loader.FULL
        if options["days"] is not None:
            if options["days"] < 1:
                raise CommandError("--days must be at least 1")
            size = loader.Size(days=options["days"], sku_step=size.sku_step, members=size.members)
        self.stdout.write(f"Loading demo data ({size.days} days of history)…")
        summary = loader.load(size, seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded in {summary.seconds:.1f} s "
                f"(history {summary.start:%Y-%m-%d} … {summary.end:%Y-%m-%d}):"
            )
        )
        for name, value in summary.counts.items():
            self.stdout.write(f"  {name:<22} {value}")
        self.stdout.write(
            self.style.WARNING(
                f"Demo users share the password {data.DEMO_PASSWORD!r} (demo credentials only); "
                "`manage.py demo_logins` lists them."
            )
        )


def local_sqlite_database() -> bool:
    """Is the database a SQLite file under var/ (the default of `make run`)?"""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.sqlite3":
        return False
    path = Path(str(db["NAME"])).resolve()
    return Path(settings.VAR_DIR).resolve() in path.parents
