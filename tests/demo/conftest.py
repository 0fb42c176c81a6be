"""The demo's step tests use the complaints tests' frozen clock and outbox (imported here,
so the tests that moved with the demo run unchanged)."""

from tests.complaints.conftest import frozen, outbox

__all__ = ["frozen", "outbox"]
