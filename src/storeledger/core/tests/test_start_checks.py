"""With DEBUG off the server refuses a default or short SECRET_KEY (security probe S6)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from storeledger.core.checks import DEV_SECRET_KEY, weak_secret_key

ROOT = Path(__file__).resolve().parents[4]
STRONG = "q7Vh3-Xk9pLm2Zr8Tc4Wn6Yb1Fd5Gs0Jq7Vh3Xk9pLm2Zr8Tc4Wn6Yb1F"


@pytest.mark.parametrize(
    ("key", "weak"),
    [
        (DEV_SECRET_KEY, True),
        ("", True),
        ("short-but-random-Xk9pLm2Zr8", True),
        ("a" * 60, True),
        ("django-insecure-" + STRONG, True),
        (STRONG, False),
    ],
)
def test_weak_keys(key, weak):
    assert weak_secret_key(key) is weak


def test_check_deploy_reports_the_default_key(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = DEV_SECRET_KEY
    with pytest.raises(SystemCheckError, match="storeledger.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def start(env: dict, code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


WSGI = "import storeledger.wsgi"
RUNSERVER = "import runpy, sys; sys.argv = ['manage.py', 'runserver', '--help']; runpy.run_path('manage.py', run_name='__main__')"


@pytest.mark.parametrize("code", [WSGI, RUNSERVER])
def test_the_server_refuses_to_start_with_debug_off_and_the_default_key(tmp_path, code):
    refused = start({"DEBUG": "false", "STORELEDGER_VAR_DIR": str(tmp_path)}, code)
    assert refused.returncode != 0
    assert "will not start with DEBUG off and a default or short SECRET_KEY" in refused.stderr
    # positive controls: a strong key, or DEBUG on for development
    assert start({"DEBUG": "false", "SECRET_KEY": STRONG}, code).returncode == 0
    assert start({"DEBUG": "true", "STORELEDGER_VAR_DIR": str(tmp_path)}, code).returncode == 0


def test_a_key_generated_into_var_is_used(tmp_path):
    (tmp_path / "secret_key").write_text(STRONG + "\n")
    started = start(
        {"DEBUG": "false", "STORELEDGER_VAR_DIR": str(tmp_path)},
        "import storeledger.wsgi; from django.conf import settings; print(settings.SECRET_KEY)",
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == STRONG
