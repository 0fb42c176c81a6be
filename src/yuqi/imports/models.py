from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuqi.imports.importers import IMPORTERS


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    # The process running it stopped (killed, machine lost) and no job will take it up again.
    INTERRUPTED = "interrupted", _("Interrupted")


FINISHED_STATUSES = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.INTERRUPTED)


class ImportRun(models.Model):
    """One bulk import of a file (from the command line, a page or the API) and its outcome.

    Rows are written in bulk, so the audit log records the run (who, which file, counts), not
    each row; every row's fate is in the counts and the error report.

    Each batch's transaction also moves the run's checkpoint (``committed_rows``, the counts,
    ``report_offset``), so a run whose worker died resumes after its last committed batch.
    ``attempt`` fences a run: each start increments it, and a writer whose attempt is no
    longer current cannot commit (a stalled worker taken for dead cannot write behind the one
    that took over).
    """

    kind = models.CharField(_("kind"), max_length=30)
    file_name = models.CharField(_("file"), max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)
    source = models.CharField(_("source system"), max_length=40, blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    progress = models.FloatField(_("progress"), default=0.0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_created = models.PositiveIntegerField(_("rows created"), default=0)
    rows_updated = models.PositiveIntegerField(_("rows updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    error_report = models.CharField(max_length=500, blank=True)
    # Resuming: rows of the file covered by committed batches, and the error report's length
    # (bytes) at that point; both move in the batch's transaction.
    committed_rows = models.PositiveIntegerField(default=0)
    report_offset = models.PositiveBigIntegerField(default=0)
    attempt = models.PositiveIntegerField(default=0)
    # Last sign of progress of a running import; swept for runs whose process died.
    progress_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The background job running it (none for ``yuqi import``).
    task_id = models.CharField(max_length=64, blank=True)
    # The file's columns that hold personal data, label → mask ("phone", "email",
    # "id_number"): masked in the error report for viewers who may not see them.
    personal_columns = models.JSONField(default=dict, blank=True)
    # When the uploaded file was deleted after the retention period (the run stays).
    file_purged_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def kind_label(self) -> str:
        """The kind as the import page names it (``客户``, not ``customers``)."""
        entry = IMPORTERS.get(self.kind)
        return str(entry.label) if entry else self.kind

    @property
    def with_errors(self) -> bool:
        """Finished, but some rows were refused (they are in the error report)."""
        return self.status == ImportStatus.DONE and self.rows_rejected > 0

    @property
    def status_label(self) -> str:
        """The status as people read it: a run that refused rows did not simply "finish"."""
        if self.with_errors:
            if self.rows_rejected >= self.rows_read:
                return str(_("Completed with errors: every row rejected"))
            return str(_("Completed with errors"))
        return str(self.get_status_display())
