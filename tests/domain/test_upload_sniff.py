"""Attachments are judged by their first bytes, not their names."""

from __future__ import annotations

import pytest

from yuqi.domain.upload_sniff import sniff


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.7\n", "application/pdf"),
    ],
)
def test_allowed_signatures(head, kind):
    assert sniff(head) == kind


@pytest.mark.parametrize(
    "head",
    [
        b"MZ\x90\x00",
        b"\x7fELF\x02\x01",
        b"#!/bin/sh\n",
        b"PK\x03\x04",
        b"<html>",
        b"",
        b"RIFF1234WAVE",
    ],
)
def test_executables_archives_and_text_are_refused(head):
    assert sniff(head) is None
