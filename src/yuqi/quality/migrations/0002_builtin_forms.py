"""The built-in QA forms (version 1) and the default phrase list (``quality.defaults``)."""

from django.db import migrations
from django.utils import timezone


def create_defaults(apps, schema_editor):
    from yuqi.domain.qa_forms import parse_form
    from yuqi.quality.defaults import BUILTIN_FORMS, DEFAULT_PHRASES

    form_model = apps.get_model("quality", "QaForm")
    version_model = apps.get_model("quality", "QaFormVersion")
    phrase_model = apps.get_model("quality", "PhraseRule")
    moment = timezone.now()
    for code, name, name_en, kind, structure in BUILTIN_FORMS:
        form, created = form_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "kind": kind, "builtin": True}
        )
        if created:
            version_model.objects.create(
                form=form,
                number=1,
                structure=structure,
                max_points=parse_form(structure).max_points,
                published_at=moment,
            )
    for phrase, severity in DEFAULT_PHRASES:
        phrase_model.objects.get_or_create(phrase=phrase, defaults={"severity": severity})


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
