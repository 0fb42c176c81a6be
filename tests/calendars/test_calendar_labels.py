"""The descriptions of the shipped calendars are shown in the reader's language; one a
manager typed is shown as typed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from yuqi.calendars.models import BusinessCalendar
from yuqi.calendars.selectors import SHIPPED_LABELS, calendar_label

pytestmark = pytest.mark.django_db


def test_the_shipped_descriptions_are_the_migrations_and_are_translated():
    stored = set(BusinessCalendar.objects.values_list("label", flat=True))
    assert set(SHIPPED_LABELS) <= stored
    with translation.override("zh-hans"):
        for label in SHIPPED_LABELS:
            assert not calendar_label(label).isascii()
    assert calendar_label("我们自己的日历") == "我们自己的日历"


def test_the_calendars_page_has_no_english_description_in_zh(as_user, manager, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        body = as_user(manager).get(reverse("calendars:list")).content.decode()
    for label in SHIPPED_LABELS:
        assert label not in body
    assert "标准工作时间：周一至周五" in body
