"""The abstract data-version row: see :mod:`yuqi.core.versioned_cache` for its use."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, models, transaction

from yuqi.core.compiled_reads import CompiledRead


def new_version_token() -> str:
    return uuid.uuid4().hex


class DataVersion(models.Model):
    """Abstract: one row whose ``token`` is drawn anew (and ``number`` goes up by one) with
    every write of the data it versions, in the writer's transaction, so figures computed
    from those data can be cached under the version they were computed from
    (:func:`yuqi.core.versioned_cache.cached_under`). A token is never drawn twice, so
    neither a database made afresh nor a rolled-back write meets another's entries."""

    number = models.BigIntegerField(default=0)
    token = models.CharField(max_length=32, default=new_version_token)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.token}:{self.number}"

    @classmethod
    def read(cls) -> str | None:
        """The data version (one query): ``token:number``; ``None`` before the first write
        (or once the row is gone: every read is then computed afresh)."""
        found = _version_read(cls).rows()
        return f"{found[0][0]}:{found[0][1]}" if found else None

    @classmethod
    def bump(cls) -> None:
        """Move the data version on (in the writer's transaction): a new token, so a version
        that a rolled-back write had taken is never taken again."""
        token = new_version_token()
        if cls.objects.filter(pk=1).update(number=models.F("number") + 1, token=token):  # type: ignore[attr-defined]
            return
        try:
            with transaction.atomic():
                cls.objects.create(pk=1, number=1, token=token)  # type: ignore[attr-defined]
        except IntegrityError:  # made meanwhile by another writer
            cls.objects.filter(pk=1).update(number=models.F("number") + 1, token=token)  # type: ignore[attr-defined]


#: Each version row's read, compiled once (pages read a version on every request, and building
#: and compiling the one-row read through the ORM cost more Python than running it).
_READS: dict[type[DataVersion], CompiledRead] = {}


def _version_read(model: type[DataVersion]) -> CompiledRead:
    read = _READS.get(model)
    if read is None:
        read = _READS[model] = CompiledRead(
            lambda: model.objects.filter(pk=1).order_by("pk").values_list("token", "number")[:1],  # type: ignore[attr-defined]
            model=model,
        )
    return read
