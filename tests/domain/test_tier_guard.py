"""The tier guard and perk leakage ([seed-000]: VIP perks must not reach ordinary customers)."""

from __future__ import annotations

from yuqi.domain.tier_guard import PerkTerm, entitled, perk_leakage, tier_guard

HOTLINE = PerkTerm("vip_hotline", ("VIP 专席", "VIP hotline"), min_rank=2)  # gold and above
VISIT = PerkTerm("home_visit", ("上门服务", "Home visit"), min_rank=1)  # diamond only


def test_entitlement_follows_the_rank():
    assert entitled(1, HOTLINE)
    assert entitled(2, HOTLINE)
    assert not entitled(3, HOTLINE)
    assert not entitled(None, HOTLINE)  # no tier: no perk


def test_a_perk_named_to_customers_below_its_tier_is_a_finding():
    findings = tier_guard("本周起可拨打VIP专席优先接入", [HOTLINE, VISIT], {2: 10, 3: 5, None: 1})
    assert [(f.code, f.below) for f in findings] == [("vip_hotline", 6)]


def test_no_finding_when_everyone_is_entitled_or_no_perk_is_named():
    assert tier_guard("VIP 专席 now open", [HOTLINE], {1: 3, 2: 4}) == []
    assert tier_guard("今晚 23:00 网络维护", [HOTLINE, VISIT], {4: 100}) == []


def test_names_match_without_case_or_spaces():
    assert tier_guard("call the vip  HOTLINE", [HOTLINE], {4: 1})[0].name == "VIP hotline"


def test_perk_leakage_is_a_lower_tier_asking_for_a_higher_perk():
    assert perk_leakage("我要求上门服务并走VIP专席", [HOTLINE, VISIT], rank=4) == [
        "vip_hotline",
        "home_visit",
    ]
    assert perk_leakage("我要求上门服务", [HOTLINE, VISIT], rank=1) == []
