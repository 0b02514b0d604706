"""`manage.py demo_logins`: print the demo users (username, role, scope, password)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from storeledger.demo import data


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_rows() -> list[tuple[str, str, str, str]]:
    existing = set(
        User.objects.filter(username__in=[u[0] for u in data.USERS]).values_list(
            "username", flat=True
        )
    )
    rows = []
    for username, _name, role, stores, superuser in data.USERS:
        if username not in existing:
            continue
        scope = "all stores" if stores == "all" else "store " + ", ".join(stores)
        if superuser:
            role += " (superuser)"
        rows.append((username, role, scope, data.DEMO_PASSWORD))
    return rows


def print_logins(out, style) -> None:
    rows = login_rows()
    if not rows:
        out.write("No demo users found; run `manage.py load_demo` first.")
        return
    header = ("username", "role", "scope", "password")
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(4)]
    line = "+".join("-" * (w + 2) for w in widths)
    out.write("Demo logins:")
    out.write(" " + " | ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)))
    out.write(line)
    for row in rows:
        out.write(" " + " | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)))
    out.write(
        style.WARNING(
            f"WARNING: these are demo credentials (password {data.DEMO_PASSWORD!r}); "
            "never use them on a reachable server."
        )
    )


class Command(BaseCommand):
    help = "Print the demo users with their role, scope and password."

    def handle(self, *args, **options):
        print_logins(self.stdout, self.style)
