"""Periodic work: keep generated articles (service standards, guidance scripts) in step."""

from __future__ import annotations

from django.tasks import task


@task
def sync_generated_articles() -> str:
    """Rewrite generated articles whose source (standards, guidance scripts) changed."""
    from yuqi.knowledge.seed import sync_generated

    return f"{sync_generated()} generated knowledge articles in step"
