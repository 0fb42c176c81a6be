"""The interactions app's choices are the contact vocabulary's codes."""

from __future__ import annotations

from yuqi.domain import contacts
from yuqi.interactions.choices import Channel, Direction


def test_channel_and_direction_choices_are_the_vocabularys_codes():
    assert tuple(Channel.values) == contacts.CHANNELS
    assert tuple(Direction.values) == contacts.DIRECTIONS
