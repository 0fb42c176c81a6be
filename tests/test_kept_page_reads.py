"""The ticket page's and the customer 360's reads kept compiled (``core.compiled_reads``) in the
contexts around them answer what the ORM's reads they replace answer: every read the two pages
make through them is kept (not refused), and its rows or instances, with their related
objects, equal those of ``list(build(...))`` for the same request's values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Model

from tests.commitments.factories import CommitmentFactory
from tests.customers.factories import CustomerFactory
from tests.insights.factories import ExpectationFactory
from tests.interactions.factories import InteractionFactory
from tests.notifications.factories import MessageFactory
from tests.surveys.factories import invitation, survey
from tests.textmining.conftest import model_folder  # noqa: F401 (a fresh model folder)
from tests.textmining.factories import BILLING, analysed
from yuqi.channels import panels as channel_panels
from yuqi.channels.models import Attachment, IntakeSubmission
from yuqi.commitments import facade as commitments
from yuqi.core.compiled_reads import CompiledRead
from yuqi.customers import views as customer_views
from yuqi.insights import facade as insights
from yuqi.interactions import facade as interactions
from yuqi.interactions import forms as interaction_forms
from yuqi.knowledge import selectors as knowledge
from yuqi.knowledge.services import Content, article_approve, article_create, article_submit
from yuqi.notifications import facade as notifications
from yuqi.surveys import facade as surveys
from yuqi.surveys.models import SurveyOptOut
from yuqi.textmining import facade as textmining
from yuqi.textmining import selectors as textmining_selectors
from yuqi.textmining.models import ComplaintAnalysis

pytestmark = pytest.mark.django_db

#: The kept reads and how they answer (``rows`` or ``objects``).
READS: dict[str, tuple[CompiledRead, str]] = {
    "ticket's analysis": (textmining_selectors.ANALYSES_OF_COMPLAINT_READ, "objects"),
    "customer's codes": (textmining.CUSTOMER_CODES_READ, "rows"),
    "live expectations": (insights.LIVE_EXPECTATIONS_READ, "rows"),
    "contact counts": (interactions.CONTACT_COUNTS_READ, "rows"),
    "recent contacts": (interactions.RECENT_CONTACTS_READ, "rows"),
    "queues": (interaction_forms.QUEUES_READ, "objects"),
    "customer's promises": (commitments.CUSTOMER_PROMISES_READ, "objects"),
    "ticket's promises": (commitments.COMPLAINT_PROMISES_READ, "objects"),
    "messages": (notifications.MESSAGES_ABOUT_READ, "objects"),
    "attachments": (channel_panels.ATTACHMENTS_READ, "objects"),
    "articles": (knowledge.SUGGESTABLE_READ, "rows"),
    "customer": (customer_views.CUSTOMER_360_READ, "objects"),
    "invitations": (surveys.INVITATIONS_READ, "objects"),
    "opt-out": (surveys.OPT_OUT_READ, "rows"),
}


def _loaded(instance: Model, seen: tuple[int, ...] = ()) -> dict[str, Any]:
    """An instance's loaded values and, by name, its related objects' (select_related; an
    object met again on the way, a reverse one-to-one's, by its class and key)."""
    values = {k: v for k, v in vars(instance).items() if k != "_state"}
    related = {
        name: (
            None
            if other is None
            else (type(other).__name__, other.pk)
            if id(other) in seen
            else _loaded(other, (*seen, id(instance)))
        )
        for name, other in instance._state.fields_cache.items()
    }
    return {"values": values, "related": related, "deferred": instance.get_deferred_fields()}


def _answer(found: list[Any], how: str) -> list[Any]:
    return [_loaded(row) for row in found] if how == "objects" else found


@pytest.fixture
def recorded(monkeypatch):
    """Each kept read's calls (shape, values, answer) while the test runs."""
    calls: dict[str, list[tuple[tuple, dict, list]]] = {name: [] for name in READS}
    for name, (read, how) in READS.items():
        read.forget()
        kept = getattr(read, how)

        def record(*shape, _name=name, _kept=kept, _how=how, **values):
            found = _kept(*shape, **values)
            calls[_name].append((shape, values, _answer(found, _how)))
            return found

        monkeypatch.setattr(read, how, record)
    yield calls
    for read, _how in READS.values():
        read.forget()


def _pages(manager, supervisor) -> tuple[str, str]:
    customer = CustomerFactory()
    ticket = analysed(by=manager, text=BILLING[0], customer=customer, demand="退还多扣的30元")
    analysed(by=manager, text=BILLING[1], customer=customer)
    now = dt.datetime.now(dt.UTC)
    InteractionFactory(customer=customer, arrived_at=now - dt.timedelta(days=3), abandoned=True)
    InteractionFactory(customer=customer, arrived_at=now - dt.timedelta(days=200), queue=None)
    CommitmentFactory(customer=customer, complaint_id=ticket.pk, promised_by=manager)
    broke = now - dt.timedelta(days=2)
    CommitmentFactory(customer=customer, promised_by=manager, status="broken", broken_at=broke)
    MessageFactory(subject_ref=f"complaint:{ticket.pk}")
    submission = IntakeSubmission.objects.create(
        kind="complaint",
        customer_id=customer.pk,
        complaint_id=ticket.pk,
        complaint_number=ticket.number,
        language="zh-hans",
        created_at=now,
    )
    Attachment.objects.create(
        submission=submission,
        stored_name="a1b2c3.png",
        original_name="账单.png",
        content_type="image/png",
        size=10,
        sha256="0" * 64,
        created_at=now,
    )
    category = ComplaintAnalysis.objects.get(complaint_id=ticket.pk).category
    ExpectationFactory(category=category)
    for title, topics in (("多扣费怎么退", [category]), ("别的话题", ["network"])):
        article = article_create(
            by=supervisor, kind="script", content=Content(title=title, body="正文"), topics=topics
        )
        article_submit(by=supervisor, article=article)
        article_approve(by=manager, article=article)
    invitation(survey(), customer)
    SurveyOptOut.objects.create(customer=customer)
    return f"/complaints/{ticket.number}/", f"/customers/{customer.external_id}/"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pages_kept_reads_answer_as_the_orm(as_user, manager, supervisor, recorded, language):
    client = as_user(manager)
    for url in _pages(manager, supervisor):
        for _ in range(2):  # compiled on the first request, kept on the second
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200
    for name, (read, how) in READS.items():
        assert recorded[name], f"{name}: not read by the pages"
        assert read.kept(), f"{name}: never compiled"
        assert all(read.kept().values()), f"{name}: refused {read.kept()}"
        for shape, values, answer in recorded[name]:
            expected = list(read.build(*shape, **values))
            assert answer == _answer(expected, how), name
            assert answer, f"{name}: nothing to compare"
