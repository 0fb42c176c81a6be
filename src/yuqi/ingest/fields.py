"""A canonical field of a file and the headers accepted for it (its own module, so that
``columns`` and ``errors`` both use it without importing each other)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FieldSpec"]


@dataclass(frozen=True)
class FieldSpec:
    """One canonical field. ``aliases`` are the headers accepted besides ``name`` itself."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def headers(self) -> tuple[str, ...]:
        """Every accepted header, the canonical name first."""
        return (self.name, *self.aliases)
