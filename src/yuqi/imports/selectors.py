from __future__ import annotations

from django.db.models import QuerySet

from yuqi.imports.models import ImportRun


def import_runs() -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("created_by").order_by("-created_at")
