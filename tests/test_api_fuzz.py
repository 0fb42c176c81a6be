"""Property-based fuzzing of the whole published API (schemathesis), in the normal suite.

Every operation of ``/api/openapi.json`` gets a few generated requests, sent through the WSGI
application with an administrator's API key against a database seeded with one object of
each kind. A request fails the test when the answer is a 5xx, or when it does not conform to
the document: undocumented status code, wrong content type, or a body that does not match the
response schema (security review 2026-12: F-9, F-11). Deterministic (``derandomize``), bounded:
``YUQI_FUZZ_EXAMPLES`` examples per operation (default 4).

A longer run, with invalid requests too (negative mode) and every schemathesis check
(for example ``negative_data_rejection``: an invalid request must get a 4xx)::

    YUQI_FUZZ_EXAMPLES=25 YUQI_FUZZ_ALL=1 pytest -n 2 tests/test_api_fuzz.py

``test_api_linked_operations_under_fuzzing`` is schemathesis' stateful mode: scenarios that
chain operations through the links it infers from the document (create, then read, change or
act on what was created), with the same checks. The whole review run, against a live server
on demo data: ``bench/api_fuzz.sh``.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.accounts.factories import UserFactory
from tests.complaints.factories import open_complaint
from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory
from tests.surveys import factories as survey_factories
from yuqi.config.api import api

EXAMPLES = int(os.environ.get("YUQI_FUZZ_EXAMPLES", "4"))
ALL = os.environ.get("YUQI_FUZZ_ALL") == "1"
CHECKS = (
    None  # every check schemathesis has
    if ALL
    else [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
)

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
schema.app = get_wsgi_application()
if ALL:
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@pytest.fixture
def seeded(db):
    """An administrator with an API key, and one object of each kind to find."""
    from yuqi.accounts.services import apikey_create
    from yuqi.commitments.services import commitment_record
    from yuqi.insights.expectations import expectation_create
    from yuqi.surveys import campaigns

    admin = UserFactory(username="fuzz-admin", roles=["admin"])
    admin.is_staff = admin.is_superuser = True
    admin.save()
    customer = CustomerFactory()
    InteractionFactory(customer=customer)
    open_complaint(by=admin, customer=customer)
    commitment_record(
        customer_id=customer.pk, kind="callback", text="回电", promised_by_id=admin.pk
    )
    survey = survey_factories.survey(code="csat-check")
    campaigns.campaign_create(values={"code": "c1", "survey": survey.code})
    expectation_create(code="E-FUZZ", statement="每次投诉都给话费补偿", by=admin)
    _row, key = apikey_create(user=admin, name="fuzz", created_by=admin)
    return key


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests through the WSGI handler share the test's transaction (as Django's test
    client does): the handler must not close the connection at each request's start/end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_under_fuzzing(case, seeded, wsgi_in_test_transaction):
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded}"}, checks=CHECKS)


STATEFUL_SCENARIOS = int(os.environ.get("YUQI_FUZZ_SCENARIOS", "10"))


@pytest.mark.filterwarnings("ignore")
def test_api_linked_operations_under_fuzzing(seeded, wsgi_in_test_transaction):
    key = seeded
    sent: list[str] = []

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case):
            sent.append(f"{case.method} {case.path}")
            return {"headers": {"Authorization": f"Bearer {key}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)

    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=6,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    # The scenarios ran, and followed links from one operation to another.
    assert len(sent) >= STATEFUL_SCENARIOS
    assert len(set(sent)) > 1
