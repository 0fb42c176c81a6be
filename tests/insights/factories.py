from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import factory

from yuqi.insights.models import (
    Offering,
    OurOffering,
    PeerCentre,
    PeerIndicatorValue,
    PeerOffering,
)

MAY_START, MAY_END = date(2026, 5, 1), date(2026, 5, 31)


class PeerCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerCentre
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"某省移动10086客服中心{n}")
    industry = "电信"
    region = "华东"


class PeerValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerIndicatorValue

    peer = factory.SubFactory(PeerCentreFactory)
    indicator = "answer_rate"
    period_start = MAY_START
    period_end = MAY_END
    value = Decimal("0.9000")
    source = "行业月报"
    imported_at = datetime(2026, 6, 3, 2, 0, tzinfo=UTC)


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"offering-{n}")
    name = "回拨"
    name_en = "Callback"


class PeerOfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerOffering

    peer = factory.SubFactory(PeerCentreFactory)
    offering = factory.SubFactory(OfferingFactory)


class OurOfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OurOffering

    offering = factory.SubFactory(OfferingFactory)


class ExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "insights.Expectation"

    code = factory.Sequence(lambda n: f"exp-{n}")
    statement = "VIP 客户期望 15 秒内接通"
    statement_en = "VIP customers expect an answer within 15 s"
    category = "access_wait"
    importance = 80
    affected_customers = 1200
    created_at = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    updated_at = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
