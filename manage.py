#!/usr/bin/env python
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storeledger.settings")
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] == ["runserver"]:
        # the development server refuses a guessable SECRET_KEY with DEBUG off, as gunicorn does
        import django

        django.setup()
        from storeledger.core.checks import insecure_start

        if reason := insecure_start():
            sys.exit(f"Refusing to start: {reason}")
    execute_from_command_line(sys.argv)
