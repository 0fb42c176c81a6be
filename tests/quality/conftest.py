"""Quality test set-up: 李娜 is agent A0001 (team 一班), her contact, the built-in forms."""

from __future__ import annotations

import pytest

from tests.interactions.factories import AgentFactory, InteractionFactory
from yuqi.quality.models import QaForm
from yuqi.quality.services import latest_version


@pytest.fixture
def lina_agent(agent):
    return AgentFactory(code="A0001", name="李娜", user=agent)


@pytest.fixture
def other_agent(db):
    return AgentFactory(code="A0002", name="赵强")


@pytest.fixture
def contact(lina_agent):
    return InteractionFactory(agent=lina_agent, notes="客户查询话费，已解答。")


@pytest.fixture
def call_form(db):
    return QaForm.objects.get(code="call-handling")


@pytest.fixture
def call_version(call_form):
    return latest_version(call_form)


def full_marks(version, **overrides):
    """Every item at full points (N/A where given as None in ``overrides``)."""
    from yuqi.domain.qa_forms import parse_form

    answers = {item.key: item.points for item in parse_form(version.structure).items}
    answers.update(overrides)
    return answers


@pytest.fixture(autouse=True)
def _english():
    """Service messages are matched in English here (pages pick their language per request)."""
    from django.utils import translation

    with translation.override("en"):
        yield
