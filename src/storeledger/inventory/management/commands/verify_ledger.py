"""`manage.py verify_ledger`: recompute every balance from its moves and check the hash chains."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from storeledger.inventory.verify import verify_ledger


class Command(BaseCommand):
    help = (
        "Recompute every stock balance from its moves and check every move hash chain; "
        "print each discrepancy and exit non-zero if there is any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--warehouse", metavar="CODE", help="only this warehouse code")
        parser.add_argument("--sku", metavar="CODE", help="only this SKU code")
        parser.add_argument(
            "--max-errors",
            type=int,
            default=1000,
            help="stop listing after this many discrepancies (default 1000)",
        )

    def handle(self, *args, **options):
        result = verify_ledger(
            warehouse=options["warehouse"], sku=options["sku"], limit=options["max_errors"]
        )
        if result.ok:
            self.stdout.write(
                f"ledger OK: {result.balances} balances, {result.moves} moves verified"
            )
            return
        for discrepancy in result.discrepancies:
            self.stderr.write(str(discrepancy))
        raise CommandError(
            f"ledger verification FAILED: {len(result.discrepancies)} discrepancies "
            f"in {result.balances} balances / {result.moves} moves",
            returncode=1,
        )
