"""Shipped defaults for service standards, perks and promise authority (editable in the admin).

They are starting values, not rules: each states its source. Times are what the centre can
*achieve*; the buffer is the margin [seed-000] asks for ("在对客户做出承诺时多留一些余地").
"""

from __future__ import annotations

from decimal import Decimal

MIIT_2009 = (
    "MIIT mobile service specification (2009), via reference/complaint-rules.md: fault repair "
    "average ≤ 24 h, maximum 48 h; service change average ≤ 1 h, maximum 24 h"
)
YUQI = "Yuqi default (seed 000: promise with margin, never a 空头支票); edit to your centre"
MIIT_APPEALS = (
    "电信用户申诉处理办法 (MIIT): operator answers a complaint within 15 days; a department "
    "reply in 5 working days + 2 buffer stays inside it"
)

# kind, tier code (None = all tiers), achievable, unit, buffer, amount limit (yuan), source
STANDARDS: tuple[tuple[str, str | None, str, str, str, str | None, str], ...] = (
    ("callback", None, "2", "business_hours", "1", None, YUQI),
    ("callback", "diamond", "1", "business_hours", "0.5", None, YUQI),
    ("callback", "gold", "1", "business_hours", "0.5", None, YUQI),
    ("repair", None, "24", "calendar_hours", "12", None, MIIT_2009),
    ("repair", "diamond", "12", "calendar_hours", "6", None, MIIT_2009 + "; VIP faster"),
    ("repair", "gold", "12", "calendar_hours", "6", None, MIIT_2009 + "; VIP faster"),
    ("refund", None, "3", "working_days", "1", None, YUQI),
    ("compensation", None, "3", "working_days", "1", "200", YUQI),
    ("compensation", "diamond", "3", "working_days", "1", "1000", YUQI),
    ("compensation", "gold", "3", "working_days", "1", "500", YUQI),
    ("department_reply", None, "5", "working_days", "2", None, MIIT_APPEALS),
    ("fee_change", None, "1", "billing_cycles", "0", None, "next billing cycle (次月生效)"),
    ("other", None, "1", "working_days", "1", None, YUQI),
)

# code, Chinese name, English name, lowest tier entitled ([seed-000]: VIP perks kept to VIPs)
PERKS: tuple[tuple[str, str, str, str], ...] = (
    ("dedicated_manager", "专属客户经理", "Dedicated account manager", "gold"),
    ("priority_repair", "优先抢修", "Priority repair", "gold"),
    ("vip_hotline", "VIP 专席", "VIP hotline", "gold"),
    ("home_visit", "上门服务", "Home visit", "diamond"),
    ("lounge_access", "贵宾厅服务", "Lounge access", "diamond"),
)

# role, maximum amount (yuan) promised without approval
AUTHORITIES: tuple[tuple[str, Decimal], ...] = (
    ("agent", Decimal("50")),
    ("supervisor", Decimal("500")),
    ("manager", Decimal("5000")),
)


def install_defaults(
    standard_model: type, perk_model: type, authority_model: type, tier_model: type
) -> None:
    """Create the defaults that are missing (by natural key); never overwrite an edit.

    Takes the model classes so the data migration can pass its historical models.
    """
    tiers = {tier.code: tier for tier in tier_model.objects.all()}
    for kind, tier_code, achievable, unit, buffer, limit, source in STANDARDS:
        if tier_code is not None and tier_code not in tiers:
            continue
        standard_model.objects.get_or_create(
            kind=kind,
            tier=tiers.get(tier_code) if tier_code else None,
            defaults={
                "achievable_amount": Decimal(achievable),
                "unit": unit,
                "buffer_amount": Decimal(buffer),
                "amount_limit": Decimal(limit) if limit else None,
                "source": source[:200],
            },
        )
    for code, name, name_en, tier_code in PERKS:
        if tier_code in tiers:
            perk_model.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "min_tier": tiers[tier_code]}
            )
    for role, amount in AUTHORITIES:
        authority_model.objects.get_or_create(role=role, defaults={"max_amount": amount})
