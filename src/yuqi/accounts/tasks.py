from __future__ import annotations

from django.core.management import call_command
from django.tasks import task

LOGIN_LOG_RETENTION_DAYS = 90


@task
def prune_login_attempts() -> str:
    """Forget login access logs older than the retention; failures expire by cool-off anyway."""
    call_command("axes_reset_logs", age=LOGIN_LOG_RETENTION_DAYS, verbosity=0)
    return f"pruned login logs older than {LOGIN_LOG_RETENTION_DAYS} days"
