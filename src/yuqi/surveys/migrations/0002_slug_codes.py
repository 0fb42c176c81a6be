"""Codes that are not slugs (accepted by the API before the services checked them, security
review 2026-12 F-7) become slugs, so every survey, question and campaign page can be opened
again: ``µ`` → ``survey-12``, ``Ìö`` → ``io``. A question keeps one code across the versions of
its survey (codes link versions), so a survey's questions are renamed with one mapping."""

import re

from django.db import migrations
from django.utils.text import slugify

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def _slug(value, taken, fallback, limit):
    candidate = slugify(value)[:limit].strip("-") or fallback
    base, number = candidate, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = base[: limit - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


def slug_codes(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Question = apps.get_model("surveys", "Question")
    Campaign = apps.get_model("surveys", "Campaign")

    taken = set(Survey.objects.values_list("code", flat=True))
    for survey in Survey.objects.order_by("pk"):
        if not SLUG.fullmatch(survey.code):
            survey.code = _slug(survey.code, taken, f"survey-{survey.pk}", 60)
            survey.save(update_fields=["code"])

    bad = Question.objects.exclude(code__regex=r"^[-a-zA-Z0-9_]+$")
    for survey_id in sorted(set(bad.values_list("version__survey_id", flat=True))):
        questions = Question.objects.filter(version__survey_id=survey_id)
        codes = set(questions.values_list("code", flat=True))
        used = {code for code in codes if SLUG.fullmatch(code)}
        mapping = {
            code: _slug(code, used, f"q{index}", 40)
            for index, code in enumerate(sorted(codes - used), start=1)
        }
        for old, new in mapping.items():
            questions.filter(code=old).update(code=new)

    taken = set(Campaign.objects.values_list("code", flat=True))
    for campaign in Campaign.objects.order_by("pk"):
        if not SLUG.fullmatch(campaign.code):
            campaign.code = _slug(campaign.code, taken, f"campaign-{campaign.pk}", 60)
            campaign.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(slug_codes, migrations.RunPython.noop, elidable=True)]
