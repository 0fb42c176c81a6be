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
