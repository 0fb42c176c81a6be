"""The default service tiers, used by the first migration and whenever no tier exists."""

DEFAULT_TIERS: tuple[tuple[str, str, str, int, bool], ...] = (
    # code, Chinese name, English name, rank (1 = highest), VIP
    ("diamond", "钻石", "Diamond", 1, True),
    ("gold", "金卡", "Gold", 2, True),
    ("silver", "银卡", "Silver", 3, False),
    ("ordinary", "普通", "Ordinary", 4, False),
)
# The service-level promise of the VIP tiers (90% within 15 s); others follow their queue.
VIP_SERVICE_LEVEL = ("0.900", 15)


def ensure_default_tiers(tier_model: type) -> None:
    """Create the default tiers when there are none at all (a new or flushed database)."""
    if tier_model.objects.exists():
        return
    tier_model.objects.bulk_create(
        [
            tier_model(code=code, name=name, name_en=name_en, rank=rank, is_vip=is_vip)
            for code, name, name_en, rank, is_vip in DEFAULT_TIERS
        ]
    )


def _service_level(tier_model: type, is_vip: bool) -> dict:
    fields = {field.name for field in tier_model._meta.get_fields()}
    if not is_vip or "sl_target" not in fields:  # an older schema, inside migration 0002
        return {}
    target, seconds = VIP_SERVICE_LEVEL
    return {"sl_target": target, "sl_seconds": seconds}
