"""The kernel's registries: each context fills them from its ``AppConfig.ready()``, so ``core``
(and the import engine) names no context, not even as a dotted string (issue 13, item 1)."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

import yuqi.core
from tests.calendars.conftest import SHANGHAI
from tests.customers.factories import CustomerFactory
from tests.interactions.factories import InteractionFactory
from yuqi.calendars import selectors as calendar_selectors
from yuqi.core import panels, schedule
from yuqi.core.tasks import record_heartbeat
from yuqi.imports.forms import ImportForm
from yuqi.imports.importers import IMPORTERS, get_importer

CORE = Path(yuqi.core.__file__).parent


def _names_in_core() -> set[str]:
    """Every ``yuqi.*`` name core's code mentions: imports and string constants alike."""
    found = set()
    for path in CORE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.update(w for w in node.value.split() if w.startswith("yuqi."))
    return {name for name in found if name.startswith("yuqi.")}


def test_core_names_no_context_not_even_as_a_string():
    # yuqi.domain is pure Python (no Django, no app), the floor below core.
    strays = {n for n in _names_in_core() if not n.startswith(("yuqi.core", "yuqi.domain"))}
    assert strays == set()


def test_every_app_s_periodic_jobs_are_registered_and_point_at_their_own_tasks():
    by_name = {job.name: job.task for job in schedule.PERIODIC_JOBS}
    assert by_name["complaints-sla-alerts"] == "yuqi.complaints.tasks.sweep_sla_alerts"
    assert by_name["insights-monthly-evaluation"] == "yuqi.insights.evaluation.monthly_evaluation"
    owners = {task.split(".")[1] for task in by_name.values()}
    assert owners == {
        "core",
        "accounts",
        "operations",
        "commitments",
        "notifications",
        "complaints",
        "textmining",
        "surveys",
        "insights",
        "imports",
        "interactions",
        "knowledge",
        "quality",
        "mailbox",
        "improvement",
        "privacy",
        "workforce",
    }


def test_registering_a_job_again_replaces_it():
    registry = schedule.JobRegistry()
    registry.register("beat", record_heartbeat, timedelta(minutes=1))
    registry.register("beat", record_heartbeat, timedelta(minutes=2))
    assert [(job.name, job.every) for job in registry] == [("beat", timedelta(minutes=2))]
    assert next(iter(registry)).task == "yuqi.core.tasks.record_heartbeat"


def test_the_sweeps_run_in_order_core_first_and_one_failure_does_not_stop_the_others():
    assert [f"{s.__module__}.{s.__name__}" for s in schedule.sweeps()] == [
        "yuqi.core.leases.recover_lost_tasks",
        "yuqi.imports.services.import_runs_mark_interrupted",
    ]
    calls = []

    def broken():
        calls.append("broken")
        raise RuntimeError("boom")

    schedule.run_sweeps((broken, lambda: calls.append("next")))
    assert calls == ["broken", "next"]


def test_importers_come_from_their_contexts_and_the_import_page_lists_them():
    assert list(IMPORTERS) == [
        "customers",
        "interactions",
        "peers",
        "offerings",
        "knowledge",
        "training",
        "agent_states",
    ]
    assert type(get_importer("peers")).__module__ == "yuqi.insights.importing"
    with translation.override("zh-hans"):
        labels = dict(ImportForm().fields["kind"].choices)
    assert labels["customers"] == "客户"
    with pytest.raises(ValueError, match="unknown import kind"):
        get_importer("nonsense")


def test_the_home_page_shows_the_roles_card_from_accounts(as_user, supervisor):
    with translation.override("en"):
        page = as_user(supervisor).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your roles" in page
    # other contexts add the agent's "my work" panels (issue 14): these two are the kernel's
    assert {"roles", "missing-holiday-years"} <= set(panels._PROVIDERS["home"])


def test_the_home_page_warns_calendar_editors_of_missing_holiday_years(
    as_user, manager, agent, monkeypatch
):
    import datetime as dt

    moment = dt.datetime(2026, 11, 1, 9, tzinfo=SHANGHAI)
    monkeypatch.setattr(calendar_selectors, "now", lambda: moment)
    assert manager.has_perm("calendars.change_businesscalendar")
    editor = as_user(manager).get("/").content.decode()
    reader = as_user(agent).get("/").content.decode()
    assert 'role="alert"' in editor
    assert "2027" in editor
    assert 'role="alert"' not in reader


def test_the_customer_360_shows_contacts_through_the_interactions_panels(as_user, manager):
    customer = CustomerFactory()
    InteractionFactory(customer=customer, category="宽带报修")
    page = as_user(manager).get(f"/customers/{customer.external_id}/").content.decode()
    assert "宽带报修" in page  # the timeline
    assert apps.get_app_config("interactions")  # the panels' owner is installed
    sides = [p.template for p in panels.panels_for("customer_360_side", customer.pk, manager)]
    assert sides == ["interactions/panels/customer_summary.html"]
    below = panels.panels_for("customer_360", customer.pk, manager)
    assert below[-1].template == "interactions/panels/customer_timeline.html"
    assert below[-1].context["timeline"][0].category == "宽带报修"
