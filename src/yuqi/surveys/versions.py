"""The data version of the surveys' answers, and the survey headlines cached under it.

The scorecard's and the benchmarks' survey measures (CSAT, NPS, CES, expectation
achievement) analyse every survey answered in a period (``yuqi.surveys.measures``): three
queries and the statistics per survey and period, about 30 ms a survey on the large demo,
for figures that change only when surveys, their versions and questions, responses or
answers are written. The headlines are cached whole under a key of the period, the language
and time zone (titles and local days) and the surveys' data version, so every figure is the
one a fresh analysis gives.

The version is one row (``SurveyDataVersion``, made by its migration) whose token is drawn
anew with every write, in the writer's transaction:

* instance saves and deletes of ``Survey``, ``SurveyVersion``, ``Question``, ``Response``
  and ``Answer`` by model signals (a deletion's cascade sends ``post_delete`` for every
  row because a receiver is connected);
* their querysets' ``bulk_create``, ``bulk_update`` and ``update`` (``VersionedQuerySet``:
  the public form's answers, the demo build, the questions' copy into a new version, the
  answers' text blanked after the retention period).

A reader reads the version before the data and a writer bumps in the transaction of its
writes, so an entry may hold data newer than its version, never older, and an old version
is read by nobody once the writer has committed. Inside a GET request
(``yuqi.core.request_memo``) the version is read once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from yuqi.core import versioned_cache
from yuqi.core.request_memo import memoised
from yuqi.surveys.models import Answer, Question, Response, Survey, SurveyDataVersion, SurveyVersion

#: What the headlines read: a write of any of them moves the version on.
VERSIONED = (Survey, SurveyVersion, Question, Response, Answer)


def bump() -> None:
    """Move the surveys' data version on (in the writer's transaction)."""
    SurveyDataVersion.bump()


@memoised
def current() -> str | None:
    """The data version (one query, through a statement compiled once): ``token:number``;
    ``None`` before the first write."""
    return SurveyDataVersion.read()


#: Bumps on every instance save and delete (not while fixtures load).
_on_write = versioned_cache.bump_on_write(bump)


def connect() -> None:
    """Bump on every instance save and delete (``SurveysConfig.ready``)."""
    for model in VERSIONED:
        name = model._meta.model_name
        post_save.connect(_on_write, sender=model, dispatch_uid=f"survey-version-save-{name}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"survey-version-del-{name}")


def cached[T](name: str, args: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()`` (figures over the surveys' answers, described by ``name`` and ``args``)
    from the cache, or computed and stored; keyed also by the language and the current time
    zone (a scorecard reads the version once)."""
    version = versioned_cache.version_in_scope("surveys", current)
    where = f"{get_language()}:{timezone.get_current_timezone_name()}"
    key = f"surveys:data:{name}:{':'.join(map(str, args))}:{where}"
    return versioned_cache.cached_under(version, key, compute)
