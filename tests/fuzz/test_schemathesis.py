"""Schemathesis over the whole OpenAPI schema: no operation answers a 5xx, whatever it is sent
(security probe R: 90 server errors on 52 of 197 operations before).

Runs on PostgreSQL (`make test-postgres`, part of `make test`) against pytest-django's live
server with the small demo loaded, once as the administrator and once as a keeper scoped to
one store. The examples, coverage (boundary and wrong-type values), fuzzing and stateful
phases run with a bounded number of cases per operation (FUZZ_EXAMPLES), positive and
negative (wrong types, out-of-range values, non-integer ids), so the run takes a few minutes;
FUZZ_EXAMPLES=50 FUZZ_PHASES=examples,coverage,fuzzing,stateful makes a deeper run by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from storeledger.demo import loader

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# The coverage phase (every boundary and wrong-type value of every parameter) sends about 50
# requests per operation: part of a deeper run by hand (FUZZ_PHASES=examples,coverage,...).
PHASES = os.environ.get("FUZZ_PHASES", "examples,fuzzing,stateful")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
# Operations that end the credentials the run uses (signing out, a new password, revoking
# tokens, deactivating a user or resetting his password: the demo's users have small ids) would
# turn the rest of the run into 401s; their own tests cover them.
EXCLUDE = (
    r"^/api/v1/(auth/(logout|password|tokens/\{id\})"
    r"|users/\{id\}/(deactivate|set-password))/$"
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run(schema_file: Path, base_url: str, token: str, report: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            str(schema_file),
            "--url",
            base_url,
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            "not_a_server_error",
            "--phases",
            PHASES,
            "--max-examples",
            str(EXAMPLES),
            "--workers",
            "1",
            "--seed",
            "20261205",
            "--generation-database",
            "none",
            "--no-shrink",
            "--exclude-path-regex",
            EXCLUDE,
            "--suppress-health-check",
            "all",
            "--request-timeout",
            "60",
            "--no-color",
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
        ],
        cwd=report.parent,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )


def test_no_operation_answers_a_server_error(live_server, tmp_path):
    loader.load(loader.SMALL)
    from django.contrib.auth.models import User

    from storeledger.accounts import tokens

    schema = SchemaGenerator().get_schema(request=None, public=True)
    schema_file = tmp_path / "openapi.json"
    schema_file.write_bytes(OpenApiJsonRenderer().render(schema))
    assert len(json.loads(schema_file.read_text())["paths"]) > 100

    failures = []
    for username in ("admin", "keeper1"):
        _token, token = tokens.issue(user=User.objects.get(username=username), name="fuzz")
        result = run(schema_file, live_server.url, token, tmp_path / f"{username}.xml")
        if result.returncode != 0:
            failures.append(
                f"--- as {username} (exit {result.returncode})\n{result.stdout[-6000:]}"
            )
    assert not failures, "\n".join(failures)
