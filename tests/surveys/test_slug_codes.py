"""Survey, question and campaign codes that are not slugs (stored through the API before the
services checked them) are renamed by a data migration, and the pages open again (F-7)."""

from __future__ import annotations

import importlib

from django.apps import apps

from tests.surveys import factories
from yuqi.surveys.models import Campaign, Question, Survey

migration = importlib.import_module("yuqi.surveys.migrations.0002_slug_codes")


def test_bad_codes_become_slugs_and_pages_open(as_user, admin_user):
    good = factories.survey(code="good")
    bad = factories.survey(code="bad-later")
    Survey.objects.filter(pk=bad.pk).update(code="µ")
    Question.objects.filter(version__survey=bad, code="q1").update(code="Ìö")
    Question.objects.filter(version__survey=bad, code="q2").update(code="𗓌")
    campaign = Campaign.objects.create(
        code="𗓌", name="x", survey_version_id=good.current_version_id
    )
    client = as_user(admin_user)
    client.raise_request_exception = False
    assert client.get("/surveys/").status_code == 500  # the review's reproduction

    migration.slug_codes(apps, None)

    bad.refresh_from_db()
    campaign.refresh_from_db()
    assert bad.code == f"survey-{bad.pk}"
    assert campaign.code == f"campaign-{campaign.pk}"
    codes = set(Question.objects.filter(version__survey=bad).values_list("code", flat=True))
    assert codes == {"io", "q2"}
    assert set(good.current_version.questions.values_list("code", flat=True)) == {"q1", "q2"}
    for url in ("/surveys/", "/surveys/campaigns/", f"/surveys/{bad.code}/"):
        assert client.get(url).status_code == 200, url
