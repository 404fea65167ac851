"""schemathesis over every operation of the API (docs/api.md, "Errors"): generated valid and
invalid requests, as an officer with a scope (the organizer of TQ, by bearer token) on the small
fixture province with its members, a meeting and a document.

Checks: no server error, every answer's status documented and its body as the schema says, and
invalid input (negative mode) refused. A documented 412/428 (ETag/If-Match on a write) is an
answer like any other documented one. Each operation gets a bounded number of examples so that
the whole run stays within about a minute per database (CHIBO_FUZZ_EXAMPLES to change it; the
`nightly` hypothesis profile multiplies it, tests/hypothesis_profiles.py).
"""

import os
from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from chibo.accounts.policy import SYSTEM
from chibo.accounts.services import create_token
from chibo.api import api
from chibo.wsgi import application
from tests.hypothesis_profiles import examples
from tests.test_documents import publish
from tests.test_meetings import schedule

EXAMPLES = int(os.environ.get("CHIBO_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance,
          negative_data_rejection]


@pytest.fixture
def dataset(world, people):
    """Records that the generated requests can also hit by their real codes."""
    meeting = schedule(world, day=date(2026, 3, 10))
    document = publish(world.orgs["D1.X1"])
    return {"member_code": "M002", "code_member": "D1.X1.C1", "meeting": meeting.code,
            "pk": document.pk}


def known_paths(operation, dataset) -> dict:
    """Path parameters naming existing records, so that generated bodies reach the services
    rather than stop at a 404."""
    names = {parameter.name for parameter in operation.path_parameters}
    known = {"member_code": dataset["member_code"], "pk": dataset["pk"]}
    if "code" in names:
        known["code"] = (dataset["meeting"] if operation.path.startswith("/api/v1/meetings")
                         else dataset["code_member"])
    return {name: value for name, value in known.items() if name in names}


@pytest.fixture
def connection_kept():
    """The test's transaction spans every request: Django closes the connection at the end of
    a request (close_old_connections), which its test client prevents the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def operations():
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_answers_as_documented(world, people, dataset, connection_kept):
    _token, raw = create_token(world.users["province"], actor=SYSTEM, name="fuzz")
    headers = {"Authorization": f"Bearer {raw}"}
    for operation in operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = st.one_of(
                operation.as_strategy(mode),
                operation.as_strategy(mode, path_parameters=known_paths(operation, dataset)))

            @settings(max_examples=examples(EXAMPLES), suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def run(case):
                case.call_and_validate(app=application, headers=headers, checks=CHECKS)

            run()
