"""Workforce (排班): shift templates, rosters of named agents, requests and agent states.

The arithmetic lives in :mod:`yuqi.domain.workforce`; these tables keep what the planner
decided (plans, rosters, assignments), what agents asked (time off, swaps) and what the ACD
reported (agent-state rows, imported with ``yuqi import agent_states``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ShiftTemplate(models.Model):
    """A shift the planner may run: start, length, breaks (the domain's ``ShiftTemplate``)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    start = models.TimeField(_("start"))
    minutes = models.PositiveSmallIntegerField(_("length in minutes"))
    # [{"after": minutes from start, "latest": minutes or null, "minutes": n, "paid": bool}]
    breaks = models.JSONField(_("breaks"), default=list, blank=True)
    max_heads = models.PositiveIntegerField(_("most heads a day"), null=True, blank=True)
    skill = models.CharField(_("skill"), max_length=40, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["start", "name"]
        verbose_name = _("shift template")
        verbose_name_plural = _("shift templates")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0, minutes__lte=1440),
                name="workforce_shift_minutes_1_to_1440",
            )
        ]

    def __str__(self) -> str:
        return self.name


class WorkforceAgent(models.Model):
    """A named agent the roster may place: the user, the ACD login and the contract."""

    # An ACD agent without a Yuqi login is rostered too (they see the schedule on paper).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workforce_agent",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=60, blank=True)
    acd_code = models.CharField(_("ACD agent id"), max_length=60, unique=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    contract_hours = models.DecimalField(
        _("contract hours a week"), max_digits=4, decimal_places=1, default=40
    )
    min_hours = models.DecimalField(
        _("minimum hours a week"), max_digits=4, decimal_places=1, default=0
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["acd_code"]
        verbose_name = _("rostered agent")
        verbose_name_plural = _("rostered agents")

    def __str__(self) -> str:
        return self.acd_code


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class RosterJob(models.TextChoices):
    """Where the background planning job of a roster stands ("" for a roster made at once)."""

    QUEUED = "queued", _("Queued")
    PLANNING = "planning", _("Planning the shifts")
    ROSTERING = "rostering", _("Placing the agents")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Roster(models.Model):
    """A shift plan (heads per template and day) and the named agents placed on it."""

    # One queue, or several planned as one skill group ("general+billing").
    queue_code = models.CharField(_("queue"), max_length=200)
    job_state = models.CharField(
        _("planning job"), max_length=12, choices=RosterJob.choices, blank=True
    )
    job_message = models.CharField(_("planning job message"), max_length=300, blank=True)
    start = models.DateField(_("first day"))
    days = models.PositiveSmallIntegerField(_("days"))
    slot_minutes = models.PositiveSmallIntegerField(_("interval minutes"), default=30)
    # requirement[day][slot] (heads on duty), plan heads {shift: [per day]}, coverage[day][slot]
    requirement = models.JSONField(_("requirement"), default=list)
    heads = models.JSONField(_("planned heads"), default=dict)
    coverage = models.JSONField(_("planned coverage"), default=list)
    shortfall = models.FloatField(_("shortfall"), default=0)
    excess = models.FloatField(_("excess"), default=0)
    plan_status = models.CharField(_("plan status"), max_length=20, blank=True)
    roster_status = models.CharField(_("roster status"), max_length=20, blank=True)
    # [{"day": iso, "shift": name, "heads": n, "reasons": {rule: n}}]
    unfilled = models.JSONField(_("unfilled slots"), default=list, blank=True)
    conflicts = models.JSONField(_("rule conflicts"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RosterStatus.choices, default=RosterStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        permissions = [
            ("plan_roster", "Can plan, edit, publish and export rosters"),
            ("view_own_schedule", "Can see their own published schedule"),
            ("decide_request", "Can approve time-off and swap requests"),
        ]

    def __str__(self) -> str:
        return f"{self.queue_code} {self.start}"


class RosterAssignment(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="assignments")
    agent = models.ForeignKey(WorkforceAgent, on_delete=models.PROTECT, related_name="shifts")
    day = models.DateField(_("day"))
    shift = models.ForeignKey(ShiftTemplate, on_delete=models.PROTECT, related_name="+")
    # Minutes after the shift's start at which each of the template's breaks begins (in the
    # template's order); empty: each break at the earliest offset of its window.
    break_offsets = models.JSONField(_("break starts"), default=list, blank=True)

    class Meta:
        ordering = ["day", "shift__start", "agent__acd_code"]
        verbose_name = _("roster assignment")
        verbose_name_plural = _("roster assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["roster", "agent", "day"], name="workforce_one_shift_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.day} {self.shift_id}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class TimeOffRequest(models.Model):
    agent = models.ForeignKey(WorkforceAgent, on_delete=models.CASCADE, related_name="time_off")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("time-off request")
        verbose_name_plural = _("time-off requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="workforce_time_off_forward",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} {self.first_day}–{self.last_day}"


class SwapRequest(models.Model):
    """An agent asks to hand one of their shifts to a colleague free that day."""

    assignment = models.ForeignKey(
        RosterAssignment, on_delete=models.CASCADE, related_name="swap_requests"
    )
    colleague = models.ForeignKey(
        WorkforceAgent, on_delete=models.CASCADE, related_name="swaps_offered"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")

    def __str__(self) -> str:
        return f"{self.assignment_id} → {self.colleague_id}"


class AgentStateRow(models.Model):
    """One interval of one agent in one state, as the ACD exported it (stored in UTC)."""

    agent_code = models.CharField(_("ACD agent id"), max_length=60)
    state = models.CharField(_("state"), max_length=12)
    reason = models.CharField(_("reason"), max_length=60, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["agent_code", "start"]
        verbose_name = _("agent state")
        verbose_name_plural = _("agent states")
        indexes = [models.Index(fields=["start"], name="workforce_state_start")]
        constraints = [
            models.UniqueConstraint(fields=["agent_code", "start"], name="workforce_state_once"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="workforce_state_forward"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent_code} {self.state} {self.start}"


class AgentTimeSlot(models.Model):
    """Derived: the available (ready + on contact + wrap) and busy (on contact + wrap) time of
    one agent in one local 15-minute slot, in microseconds (exact sums), from the agent
    states clipped to the slot. Built and kept current by ``yuqi.workforce.rollups``."""

    agent_code = models.CharField(max_length=60)
    day = models.DateField()
    slot = models.PositiveSmallIntegerField()  # local minute of the day // 15
    available_us = models.BigIntegerField()
    busy_us = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "agent_code"], name="workforce_timeslot_day")]

    def __str__(self) -> str:
        return f"{self.agent_code} {self.day} {self.slot}"


class AgentTimeDay(models.Model):
    """A local day whose ``AgentTimeSlot`` rows are out of date: written when an agent state
    touching that day is written, changed or deleted, cleared by the rollup refresh."""

    day = models.DateField(primary_key=True)

    def __str__(self) -> str:
        return self.day.isoformat()


class AgentTimeState(models.Model):
    """One row once the agent-time rollup has been built: when it was last brought up to
    date."""

    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.refreshed_at.isoformat()


def _new_token() -> str:
    import uuid

    return uuid.uuid4().hex


class WorkforceVersion(models.Model):
    """Derived: one row, whose ``number`` goes up by one with every write of what adherence
    reads (agent states, rosters, roster assignments, shift templates, rostered agents), so a
    cached adherence report is keyed by the data it was computed from
    (``yuqi.workforce.versions``). ``token`` is new with each row, so a database made afresh
    never meets the cache entries of an older one under the same number."""

    number = models.BigIntegerField(default=0)
    token = models.CharField(max_length=32, default=_new_token)

    def __str__(self) -> str:
        return f"{self.token}:{self.number}"


class AdherenceResult(models.Model):
    """Derived: the adherence report of a period whose shifts may still be running, as
    computed at ``computed_at`` in time zone ``zone`` (``yuqi.workforce.adherence_store``),
    refreshed by the worker's ``workforce-adherence`` job so that a page reads one row instead
    of walking every agent state and shift of the period."""

    start = models.DateField()
    end = models.DateField()
    zone = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    #: The data version (``WorkforceVersion``) the report was computed from.
    version = models.CharField(max_length=64, blank=True)
    #: The ``AdherenceReport`` as JSON (``adherence_store.encoded``).
    report = models.JSONField(default=dict)
    #: What the measures read of it: the total of all agents and how many agents
    #: (``adherence_store.encoded_summary``); empty in a row stored before summaries were.
    summary = models.JSONField(default=dict, db_default={})

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["start", "end", "zone"], name="adherence_result_period")
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end} {self.zone} @ {self.computed_at.isoformat()}"
