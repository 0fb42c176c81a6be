"""REST endpoints of the notifications context (mounted under /api/v1/ in yuqi.config.api)."""

from ninja import Router

router = Router(tags=["notifications"])
