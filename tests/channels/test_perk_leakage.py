"""Perk leakage: complaints from lower tiers that demand a higher tier's perk count as evidence
on the expectation register ([seed-000])."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.complaints.factories import open_complaint
from tests.customers.factories import CustomerFactory, tier

pytestmark = pytest.mark.django_db


def _analysed(agent, customer, text):
    from yuqi.textmining.services import analysis_run

    ticket = open_complaint(by=agent, customer=customer, account=text, demand="")
    analysis_run(complaint_id=ticket.pk)
    return ticket


def test_lower_tiers_asking_for_a_vip_perk_are_counted(agent):
    from yuqi.textmining.facade import perk_leakage_evidence

    ordinary = CustomerFactory(tier=tier("ordinary"))
    gold = CustomerFactory(tier=tier("gold"))
    _analysed(agent, ordinary, "宽带断了三天，我要求优先抢修，凭什么别人有VIP专席我没有")
    _analysed(agent, gold, "宽带断了，请安排优先抢修")  # entitled: no leakage
    _analysed(agent, ordinary, "账单多扣了30元，请退款")  # no perk named
    today = dt.date.today()
    facts = {f.perk: f for f in perk_leakage_evidence(date_from=today, date_to=today)}
    assert set(facts) == {"priority_repair", "vip_hotline"}
    assert facts["priority_repair"].complaints == 1
    assert facts["priority_repair"].tiers == {"ordinary": 1}


def test_the_register_gets_perk_leakage_evidence(agent):
    from yuqi.insights.expectations import evidence_collect
    from yuqi.insights.models import Evidence

    _analysed(agent, CustomerFactory(tier=tier("silver")), "我也要上门服务，钻石客户都有")
    today = dt.date.today()
    result = evidence_collect(date_from=today, date_to=today)
    assert result.sources["perk_leakage"] == 1
    row = Evidence.objects.get(key="perk-leakage:home_visit")
    assert row.expectation.code == "perk-home-visit"
    assert row.summary["complaints"] == 1
    assert row.summary["perk_leakage"] == "home_visit"
