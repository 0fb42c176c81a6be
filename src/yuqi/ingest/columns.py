"""Column maps: which header in a file means which field, whatever the exporting system called it.

Headers are compared by :func:`header_key`, so ``客户ID``, ``客户ＩＤ``, `` 客户 id `` and
``客户_ID（必填）`` are the same header. The canonical field name is always accepted as a
header too, so ``external_id`` and ``External ID`` work everywhere.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from types import MappingProxyType

from yuqi.ingest.errors import DuplicateColumns, OverrideError
from yuqi.ingest.fields import FieldSpec
from yuqi.ingest.problems import Code

__all__ = ["ColumnMap", "FieldSpec", "HeaderMatch", "column_letter", "header_key"]

# A trailing bracketed unit or note: 等待时长(秒), Wait [s], 月均消费【元】, 客户编号(必填).
_TRAILING_BRACKETS = re.compile(r"\s*[(\[【<][^()\[\]【】<>]*[)\]】>]\s*$")
# What people use between words of a header, plus required-column stars of import templates.
_SEPARATORS = re.compile(r"[\s_\-‐‑‒–—―·.:/\\、*]+")


def header_key(text: str) -> str:
    """The comparison form of a header.

    NFKC (full-width letters, digits and brackets become half-width), trailing bracketed units
    removed (repeatedly, but never down to nothing), separators (space, ``_``, ``-``, ``.``,
    ``:``, ``/``, ``、``, ``*``) removed, then case-folded.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    while True:
        shorter = _TRAILING_BRACKETS.sub("", text)
        if shorter == text or not _SEPARATORS.sub("", shorter):
            break
        text = shorter
    return _SEPARATORS.sub("", text).casefold()


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class HeaderMatch:
    """How one header row maps onto a :class:`ColumnMap` (indexes are 0-based columns)."""

    columns: Mapping[int, str]
    missing: tuple[FieldSpec, ...]
    duplicates: Mapping[str, tuple[int, ...]]
    unknown: tuple[int, ...]

    @property
    def complete(self) -> bool:
        """Every required field found, none twice."""
        return not self.missing and not self.duplicates


@dataclass(frozen=True)
class ColumnMap:
    """The fields of one importer and the headers that name them.

    ``name`` is the importer (``customers``, ``interactions``): the section read from a TOML
    override file. Two fields may not share a header (a ``ValueError``: a programming error).
    """

    fields: Mapping[str, FieldSpec]
    name: str = ""
    _index: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fields = MappingProxyType(dict(self.fields))
        index: dict[str, str] = {}
        for key, spec in fields.items():
            if key != spec.name:
                raise ValueError(f"field {key!r} holds the spec of {spec.name!r}")
            for header in spec.headers:
                comparable = header_key(header)
                if not comparable:
                    raise ValueError(f"field {key!r}: header {header!r} is blank")
                owner = index.setdefault(comparable, key)
                if owner != key:
                    raise ValueError(f"header {header!r} is claimed by {owner!r} and {key!r}")
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "_index", MappingProxyType(index))

    @property
    def required(self) -> tuple[FieldSpec, ...]:
        return tuple(spec for spec in self.fields.values() if spec.required)

    def field_for(self, header: str) -> str | None:
        """The field a header names, or ``None``."""
        return self._index.get(header_key(header))

    def match(self, headers: Sequence[str]) -> HeaderMatch:
        """Map a header row; blank header cells are neither fields nor unknown columns."""
        positions: dict[str, list[int]] = {}
        unknown: list[int] = []
        for index, header in enumerate(headers):
            if not header.strip():
                continue
            name = self.field_for(header)
            if name is None:
                unknown.append(index)
            else:
                positions.setdefault(name, []).append(index)
        return HeaderMatch(
            columns={found[0]: name for name, found in positions.items()},
            missing=tuple(
                s for s in self.fields.values() if s.required and s.name not in positions
            ),
            duplicates={name: tuple(found) for name, found in positions.items() if len(found) > 1},
            unknown=tuple(unknown),
        )

    def check(self, match: HeaderMatch, headers: Sequence[str]) -> None:
        """Raise :class:`DuplicateColumns` for the first field named by several columns."""
        for name, found in match.duplicates.items():
            raise DuplicateColumns(
                name, tuple(f"{column_letter(i)} “{headers[i].strip()}”" for i in found)
            )

    def with_aliases(self, extra: Mapping[str, Iterable[str]]) -> ColumnMap:
        """A copy where each field in ``extra`` also accepts those headers.

        A header that another field already accepts moves to the field named here: the
        override describes the user's files, which know better than our defaults. A header
        that is another field's canonical name cannot move (:class:`OverrideError`).
        """
        fields = dict(self.fields)
        for name, headers in extra.items():
            if name not in fields:
                raise OverrideError(
                    Code.OVERRIDE_UNKNOWN_FIELD,
                    field=name,
                    fields=", ".join(fields),
                )
            for header in headers:
                key = header_key(header)
                for other, spec in fields.items():
                    if other == name:
                        continue
                    if header_key(other) == key:
                        raise OverrideError(
                            Code.OVERRIDE_HEADER_IS_FIELD_NAME,
                            header=header,
                            other=other,
                        )
                    kept = tuple(a for a in spec.aliases if header_key(a) != key)
                    if kept != spec.aliases:
                        fields[other] = FieldSpec(other, kept, spec.required)
                spec = fields[name]
                if all(header_key(h) != key for h in spec.headers):
                    fields[name] = FieldSpec(name, (*spec.aliases, header), spec.required)
        return ColumnMap(fields, name=self.name)

    def with_overrides(self, path: str | PathLike[str], *, section: str | None = None) -> ColumnMap:
        """A copy with the extra aliases of a TOML file, from the table named after this map::

            [customers]
            phone = ["联系电话", "手机"]
            name = "户名"          # a single header may be a plain string

        Other tables (for other importers) are ignored; an unknown field is an error.
        """
        section = section or self.name
        try:
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
        except OSError as exc:
            raise OverrideError(
                Code.OVERRIDE_CANNOT_OPEN,
                path=str(path),
                detail=exc.strerror or exc,
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise OverrideError(
                Code.OVERRIDE_NOT_TOML,
                path=str(path),
                detail=exc,
            ) from exc
        stray = [key for key, value in data.items() if not isinstance(value, dict)]
        if stray:
            raise OverrideError(
                Code.OVERRIDE_KEYS_OUTSIDE_TABLE,
                path=str(path),
                keys=", ".join(stray),
                section=section,
            )
        table = data.get(section, {})
        extra: dict[str, tuple[str, ...]] = {}
        for name, value in table.items():
            headers = (value,) if isinstance(value, str) else value
            if not isinstance(headers, list | tuple) or not all(
                isinstance(h, str) and h.strip() for h in headers
            ):
                raise OverrideError(
                    Code.OVERRIDE_BAD_HEADERS,
                    section=section,
                    field=name,
                )
            extra[name] = tuple(h.strip() for h in headers)
        return self.with_aliases(extra)
