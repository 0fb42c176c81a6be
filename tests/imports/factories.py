from __future__ import annotations

import factory
from django.conf import settings

from yuqi.imports.models import ImportRun


def uploaded(name: str, content: bytes) -> str:
    """A file as ``import_upload`` keeps it, under the uploads folder; returns its path."""
    from pathlib import Path

    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return str(path)


class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRun

    kind = "customers"
    file_name = "customers.csv"
    stored_path = ""
