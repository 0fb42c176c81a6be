"""``yuqi.core.versioned_cache.bump_on_write``: the receiver every version module connects."""

from __future__ import annotations

from yuqi.core.versioned_cache import bump_on_write


def test_the_receiver_bumps_on_writes_but_not_while_fixtures_load():
    bumps: list[int] = []
    receiver = bump_on_write(lambda: bumps.append(1))
    receiver(sender=object, raw=True)  # loaddata
    assert bumps == []
    receiver(sender=object, instance=object(), created=True)
    receiver(sender=object, instance=object())  # post_delete sends no raw
    assert bumps == [1, 1]
