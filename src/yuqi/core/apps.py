from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def private_sqlite_files(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Keep an SQLite database file and its companions 0600 (security review F-13).

    SQLite creates the file with the process's umask (0644 outside the ``yuqi`` entry points)
    and gives ``-wal``/``-shm`` the database file's own mode, so tightening the database file as
    each connection opens also keeps the companions SQLite creates later private.
    """
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return  # in memory (tests): nothing on disk
    from yuqi.core.private_files import make_private

    for suffix in SQLITE_COMPANIONS:
        make_private(name + suffix)


class CoreConfig(AppConfig):
    name = "yuqi.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.connect(private_sqlite_files, dispatch_uid="yuqi-private-sqlite")
        from yuqi.core.prepared_statements import plan_patterns_each_time

        connection_created.connect(plan_patterns_each_time, dispatch_uid="yuqi-pg-patterns")

        from yuqi.core.leases import recover_lost_tasks
        from yuqi.core.schedule import register_job, register_sweep
        from yuqi.core.tasks import prune_task_results, record_heartbeat

        register_job("worker-heartbeat", record_heartbeat, timedelta(minutes=1))
        register_job("prune-task-results", prune_task_results, timedelta(hours=24))
        register_sweep(recover_lost_tasks)
        from django.contrib.auth.signals import user_logged_in

        from yuqi.core.security_headers import session_started

        user_logged_in.connect(session_started, dispatch_uid="yuqi-session-last-seen")
        from django.core.signals import setting_changed

        from yuqi.core.navigation import NavItem, menu_setting_changed, register_nav_item

        setting_changed.connect(menu_setting_changed, dispatch_uid="yuqi-menus-kept")

        register_nav_item(NavItem("core:approvals", _("Approvals"), "workbench", 30))
