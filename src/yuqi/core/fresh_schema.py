"""A fresh, empty SQLite database brought to the migrated state without replaying migrations.

``migrate`` on an empty database spends most of its time (about 12 s for Yuqi's 67 migrations)
re-rendering Django's migration state: every ``CreateModel`` re-renders the models related to
it, every ``RunPython`` renders the whole state again. ``yuqi demo`` always starts from an empty
embedded database, so it takes this shortcut instead:

1. the tables are created from the final migration state (``schema_editor.create_model`` for
   every model, the deferred indexes and constraints after);
2. every migration of the plan is recorded as applied in ``django_migrations``, in plan order;
3. Yuqi's migrations' own ``RunPython`` functions run, in plan order, against the final
   state's models (historical models, as ``migrate`` gives them: no custom methods, no signals
   of the live models), so the seeded rows are the migrations' own, not a copy. Third-party
   apps' ``RunPython`` functions (Django's, django-tasks-db's) are skipped: they convert rows of
   their own tables, which are empty on a fresh database, and some name columns the final
   state no longer has;
4. ``pre_migrate`` and ``post_migrate`` are sent as ``migrate`` sends them (content types,
   permissions, the contexts' defaults).

It is used only on an empty SQLite database (the demo's), never on PostgreSQL (some data
migrations create PostgreSQL-only indexes) and never on a database that holds anything: existing
databases always migrate. A migration with an operation this module cannot apply from the final
state (``RunSQL``, ``SeparateDatabaseAndState``, a custom operation) makes it fall back to
``migrate``. ``tests/core/test_fresh_schema.py`` checks that both paths give the same tables,
columns, indexes, constraints and rows.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.core.management import call_command
from django.core.management.base import no_translations
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations import operations as ops
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.migration import Migration
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ModelState, ProjectState

# The migrations whose RunPython functions seed data: those of the package this module is part
# of (Yuqi's own apps); see the module docstring.
PROJECT_PACKAGE = __name__.partition(".")[0] + "."

# Operations whose whole effect on a fresh database is the final schema built from the state.
SCHEMA_OPERATIONS: tuple[type, ...] = (
    ops.CreateModel,
    ops.DeleteModel,
    ops.RenameModel,
    ops.AlterModelTable,
    ops.AlterModelTableComment,
    ops.AlterUniqueTogether,
    ops.AlterIndexTogether,
    ops.AlterOrderWithRespectTo,
    ops.AlterModelOptions,
    ops.AlterModelManagers,
    ops.AddField,
    ops.RemoveField,
    ops.AlterField,
    ops.RenameField,
    ops.AddIndex,
    ops.RemoveIndex,
    ops.RenameIndex,
    ops.AddConstraint,
    ops.RemoveConstraint,
    ops.AlterConstraint,
)


def fast_path_applies(plan: list[tuple[Migration, bool]]) -> bool:
    """True when every operation of the plan is a schema change (built from the final state;
    subclasses too, such as django-tasks-db's ``RenameIndexIfExists``) or a ``RunPython``
    (run on the final state's models)."""
    return all(
        not backwards
        and all(
            isinstance(operation, SCHEMA_OPERATIONS) or type(operation) is ops.RunPython
            for operation in migration.operations
        )
        for migration, backwards in plan
    )


@no_translations  # as ``migrate``: the permissions' names stored untranslated
def migrate_fresh(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Bring an empty SQLite database to the migrated state (see the module docstring).

    Returns True if the fast path was taken, False if it ran ``migrate`` instead (another
    database engine, a database that already has tables, or an operation it cannot apply)."""
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.introspection.table_names():
        call_command("migrate", database=using, interactive=False, verbosity=0)
        return False
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    plan = executor.migration_plan(targets, clean_start=True)
    if not fast_path_applies(plan):
        call_command("migrate", database=using, interactive=False, verbosity=0)
        return False

    # Nothing applied yet: the state before is that of the apps without migrations only.
    pre_state = ProjectState(real_apps=executor.loader.unmigrated_apps)
    emit_pre_migrate_signal(0, False, using, apps=pre_state.apps, plan=plan)

    state = executor.loader.project_state()
    state_apps = state.apps
    models = [
        model
        for model in state_apps.get_models(include_auto_created=False)
        if model._meta.app_label in executor.loader.migrated_apps
        and router.allow_migrate_model(using, model)
    ]
    with connection.schema_editor(atomic=True) as editor:
        for model in models:
            editor.create_model(model)
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    for migration, _ in plan:
        recorder.record_applied(migration.app_label, migration.name)

    for migration, _ in plan:
        if not type(migration).__module__.startswith(PROJECT_PACKAGE):
            continue
        with connection.schema_editor(atomic=migration.atomic) as editor:
            for operation in migration.operations:
                if type(operation) is ops.RunPython and router.allow_migrate(
                    using, migration.app_label, **operation.hints
                ):
                    if operation.atomic and not migration.atomic:
                        with transaction.atomic(using=using):
                            operation.code(state_apps, editor)
                    else:
                        operation.code(state_apps, editor)

    # As ``migrate`` does: the post_migrate receivers see the real apps' models re-rendered.
    post_apps = state.apps
    with post_apps.bulk_update():
        keys = []
        for model_state in post_apps.real_models:
            key = model_state.app_label, model_state.name_lower
            keys.append(key)
            post_apps.unregister_model(*key)
    post_apps.render_multiple([ModelState.from_model(global_apps.get_model(*key)) for key in keys])
    emit_post_migrate_signal(0, False, using, apps=post_apps, plan=plan)
    return True
