"""``interactions.facade.agent_contact_keys``: the keys of the contacts ``qa_contacts`` returns
for a window, read in one narrow query (the demo draws its QA sample from them)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.interactions.factories import AgentFactory, InteractionFactory
from yuqi.interactions.facade import agent_contact_keys, qa_contacts

pytestmark = pytest.mark.django_db


def test_the_keys_are_the_handled_contacts_of_the_window_in_id_order():
    end = timezone.now().replace(microsecond=0)
    start = end - timedelta(days=3)
    agent, other = AgentFactory(code="A9001"), AgentFactory(code="A9002")
    inside = [
        InteractionFactory(agent=agent, arrived_at=end - timedelta(hours=5)),
        InteractionFactory(agent=other, arrived_at=start),
        InteractionFactory(agent=agent, arrived_at=end - timedelta(days=1)),
    ]
    InteractionFactory(agent=agent, arrived_at=end)  # the window's end is left out
    InteractionFactory(agent=agent, arrived_at=start - timedelta(seconds=1))
    InteractionFactory(agent=None, arrived_at=end - timedelta(hours=1))  # nobody handled it
    InteractionFactory(agent=agent, abandoned=True, arrived_at=end - timedelta(hours=2))

    keys = agent_contact_keys(start=start, end=end)

    assert [k.id for k in keys] == sorted(c.pk for c in inside)
    full = {c.id: c for c in qa_contacts(start=start, end=end)}
    assert set(full) == {k.id for k in keys}
    for key in keys:
        assert key.agent_code == full[key.id].agent_code
        assert key.arrived_at == full[key.id].arrived_at
