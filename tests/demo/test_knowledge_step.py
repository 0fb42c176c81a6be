from __future__ import annotations

import pytest

from yuqi.demo.steps.knowledge import load_demo_knowledge
from yuqi.knowledge.models import Article


@pytest.mark.django_db
def test_the_demo_installs_the_knowledge_base_once():
    first = load_demo_knowledge()
    assert first.articles == Article.objects.count() >= 24
    assert first.generated >= 1
    assert load_demo_knowledge().articles == first.articles


@pytest.mark.django_db
def test_the_demo_agents_use_articles_on_some_of_their_complaints(frozen, agent):
    from datetime import timedelta

    from django.utils.timezone import localdate

    from tests.complaints.factories import open_complaint
    from yuqi.knowledge.models import ArticleUse
    from yuqi.knowledge.selectors import knowledge_use

    tickets = [open_complaint(by=agent, owner=agent) for _ in range(40)]
    summary = load_demo_knowledge(seed=3)
    used, opened = knowledge_use(localdate() - timedelta(days=1), localdate())
    assert opened == len(tickets)
    assert 0 < used < opened  # a habit, not every ticket
    logged = ArticleUse.objects.filter(complaint_id__in=[t.pk for t in tickets])
    assert summary.uses == logged.count()
    assert set(logged.values_list("user_id", flat=True)) == {agent.pk}
    assert load_demo_knowledge(seed=3).uses == 0  # a second run adds nothing
