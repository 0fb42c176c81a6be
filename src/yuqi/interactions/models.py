from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yuqi.core.data_version import new_version_token
from yuqi.domain import kpi
from yuqi.interactions.choices import SL_CONVENTION_CHOICES, Channel, ContactOutcome, Direction


class Queue(models.Model):
    """A queue (skill group) with its service-level target: X% answered within Y seconds."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    sl_target = models.DecimalField(
        _("service level target"),
        max_digits=4,
        decimal_places=3,
        default=0.8,
        help_text=_("Share answered within the threshold, e.g. 0.80"),
    )
    sl_seconds = models.PositiveIntegerField(_("service level threshold (s)"), default=20)
    sl_convention = models.CharField(
        _("service level convention"),
        max_length=30,
        choices=SL_CONVENTION_CHOICES,
        default=kpi.SL_DEFAULT,
        help_text=_("Which offered contacts the service level's denominator counts."),
    )

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code


class Team(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code


class Agent(models.Model):
    """An agent as the ACD knows them (by work number); linked to a Yuqi user if they sign in."""

    code = models.CharField(_("work number"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80, blank=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agents",
        verbose_name=_("team"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agent_profile",
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code  # the code is for files and the API, not for people


class Interaction(models.Model):
    """One contact on one channel, with its queue timing. Unique per (source, external id)."""

    source = models.CharField(_("source system"), max_length=40, default="default")
    external_id = models.CharField(_("external id"), max_length=64)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INBOUND
    )
    queue = models.ForeignKey(
        Queue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
        db_index=False,  # led by the (…, arrived_at) index below
        verbose_name=_("queue"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("team"),
    )
    agent = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
        db_index=False,  # led by the (…, arrived_at) index below
        verbose_name=_("agent"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
        db_index=False,  # led by the (…, arrived_at) index below
        verbose_name=_("customer"),
    )
    # An unidentified caller's number is never stored in clear: a masked form for people and a
    # keyed hash, so repeat calls from the same number can still be linked. Not indexed, like
    # category: no query looks either up, and each index costs every imported row (an
    # index is a few µs of a ~35 µs insert on PostgreSQL; bench/import_bench.py).
    caller_masked = models.CharField(_("caller number"), max_length=20, blank=True)
    caller_hash = models.CharField(max_length=32, blank=True, editable=False)
    arrived_at = models.DateTimeField(_("arrived at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    abandoned = models.BooleanField(_("abandoned"), default=False)
    wait_seconds = models.PositiveIntegerField(_("wait (s)"), default=0)
    talk_seconds = models.PositiveIntegerField(_("talk (s)"), default=0)
    wrap_seconds = models.PositiveIntegerField(_("wrap-up (s)"), default=0)
    hold_seconds = models.PositiveIntegerField(_("hold (s)"), default=0)
    transferred = models.BooleanField(_("transferred"), default=False)
    first_contact_resolved = models.BooleanField(_("resolved on first contact"), null=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Recorded by an agent on the customer 360 (contacts from a file or the API leave these
    # empty): how the contact ended, and the complaint opened from it.
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ContactOutcome.choices, blank=True
    )
    complaint_id = models.PositiveBigIntegerField(_("complaint opened"), null=True, blank=True)
    complaint_number = models.CharField(_("complaint opened"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Derived when written (``yuqi.interactions.derived``), so KPI pages group and count in
    # SQL without per-row time-zone functions or a correlated repeat lookup per contact:
    # the local day and minute of the day of arrival, and whether a later inbound contact of
    # the same customer on the same category came within the default repeat window.
    local_day = models.DateField(null=True, blank=True, editable=False)
    local_minute = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    repeated = models.BooleanField(null=True, blank=True, editable=False)
    # The customer's tier and the service-level threshold Y (seconds) that apply to the
    # contact: the tier's own threshold, else the queue's, else the default. Set with the
    # other derived columns and set again when a queue's or tier's threshold or the
    # customer's tier changes (``yuqi.interactions.signals``), so KPI queries count
    # "answered within Y" from plain columns, with no join per contact.
    tier = models.ForeignKey(
        "customers.Tier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        db_index=False,
        related_name="+",
    )
    sl_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    derived_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-arrived_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="interaction_unique_source_external_id"
            ),
        ]
        indexes = [
            models.Index(fields=["arrived_at"], name="interaction_arrived"),
            models.Index(fields=["queue", "arrived_at"], name="interaction_queue_arrived"),
            # The staffing plan's agents who worked: answered contacts of a queue by answer time.
            models.Index(fields=["queue", "answered_at"], name="interaction_queue_answered"),
            models.Index(fields=["agent", "arrived_at"], name="interaction_agent_arrived"),
            models.Index(fields=["customer", "arrived_at"], name="interaction_customer_arrived"),
            models.Index(fields=["channel", "arrived_at"], name="interaction_channel_arrived"),
            models.Index(fields=["local_day", "queue"], name="interaction_day_queue"),
            # Partial: the contacts written or changed since their derived columns were set.
            models.Index(
                fields=["id"],
                name="interaction_underived",
                condition=models.Q(derived_at__isnull=True)
                | models.Q(derived_at__lt=models.F("updated_at")),
            ),
            # Partial: only the few contacts a complaint was opened from (imports pay nothing).
            models.Index(
                fields=["complaint_id"],
                name="interaction_complaint",
                condition=models.Q(complaint_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"

    @property
    def handle_seconds(self) -> int:
        return self.talk_seconds + self.hold_seconds + self.wrap_seconds


class ContactRollup(models.Model):
    """The KPI sums of the offered contacts (inbound, queued) of one local day × 15-minute
    slot × queue × channel × customer tier: every additive count of ``KpiCounts`` but the
    service level's denominator, which follows the queue's *current* convention and is
    computed from ``offered``, ``answered``, ``abandoned`` and ``short_abandoned`` when read.

    Built and kept current by ``yuqi.interactions.rollups`` from the contacts' derived
    columns, with the default short-abandon threshold and repeat window.
    """

    day = models.DateField()
    slot = models.PositiveSmallIntegerField()  # local minute of the day // 15
    queue = models.ForeignKey(
        Queue, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    channel = models.CharField(max_length=10)
    tier_id = models.PositiveIntegerField(null=True)
    offered = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    abandoned = models.PositiveIntegerField(default=0)
    short_abandoned = models.PositiveIntegerField(default=0)
    answered_within = models.PositiveIntegerField(default=0)
    answered_wait_seconds = models.BigIntegerField(default=0)
    longest_wait_seconds = models.PositiveIntegerField(null=True)
    talk_seconds = models.BigIntegerField(default=0)
    wrap_seconds = models.BigIntegerField(default=0)
    hold_seconds = models.BigIntegerField(default=0)
    transferred = models.PositiveIntegerField(default=0)
    fcr_flagged = models.PositiveIntegerField(default=0)
    fcr_resolved = models.PositiveIntegerField(default=0)
    repeat_candidates = models.PositiveIntegerField(default=0)
    repeated = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "queue"], name="rollup_day_queue")]

    def __str__(self) -> str:
        return f"{self.day} {self.slot} {self.queue_id} {self.channel} {self.tier_id}"


class ContactDayRollup(models.Model):
    """:class:`ContactRollup`'s sums per local day × queue × channel × customer tier, without
    the 15-minute slot: a KPI table not grouped by interval (a week by day, 30 days by queue
    and day) sums one row per day and group instead of up to 96. Rebuilt with the slot
    rows of the same days, from them (``yuqi.interactions.rollups``)."""

    day = models.DateField()
    queue = models.ForeignKey(
        Queue, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    channel = models.CharField(max_length=10)
    tier_id = models.PositiveIntegerField(null=True)
    offered = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    abandoned = models.PositiveIntegerField(default=0)
    short_abandoned = models.PositiveIntegerField(default=0)
    answered_within = models.PositiveIntegerField(default=0)
    answered_wait_seconds = models.BigIntegerField(default=0)
    longest_wait_seconds = models.PositiveIntegerField(null=True)
    talk_seconds = models.BigIntegerField(default=0)
    wrap_seconds = models.BigIntegerField(default=0)
    hold_seconds = models.BigIntegerField(default=0)
    transferred = models.PositiveIntegerField(default=0)
    fcr_flagged = models.PositiveIntegerField(default=0)
    fcr_resolved = models.PositiveIntegerField(default=0)
    repeat_candidates = models.PositiveIntegerField(default=0)
    repeated = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "queue"], name="day_rollup_day_queue")]

    def __str__(self) -> str:
        return f"{self.day} {self.queue_id} {self.channel} {self.tier_id}"


class ContactAgentDay(models.Model):
    """An agent who handled an offered contact (inbound, queued) of one local day, queue and
    channel: occupancy on a filtered KPI table keeps the agents of the filtered contacts,
    read here instead of a distinct scan of the period's contacts. Rebuilt with the KPI
    rollups (``yuqi.interactions.rollups``)."""

    # Queue and agent without an index of their own (nor a constraint): the rows are looked
    # up by day and queue through the composite index, and every index is written once per
    # row on every rebuild.
    day = models.DateField()
    queue = models.ForeignKey(
        Queue, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    channel = models.CharField(max_length=10)
    agent = models.ForeignKey(
        Agent, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["day", "queue"], name="agent_day_day_queue")]

    def __str__(self) -> str:
        return f"{self.day} {self.queue_id} {self.channel} {self.agent_id}"


class ContactAgentSlot(models.Model):
    """An agent who answered an offered contact (inbound, queued, answered, not abandoned) of
    one queue in one local day × 15-minute slot of the *answer*: the staffing plan's "agents
    who worked" count the distinct agents of the slots of an interval here instead of
    scanning the period's contacts. ``day`` is the contact's arrival day, by which it is
    rebuilt with the KPI rollups (``yuqi.interactions.rollups``); ``answered_day`` and
    ``answered_slot`` are read."""

    # Queue and agent without an index of their own (nor a constraint): the rows are looked
    # up by day, or by queue through the composite index, and every index is written once per
    # row on every rebuild (a million-contact import writes some 700,000 slot rows).
    day = models.DateField()
    queue = models.ForeignKey(
        Queue, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    agent = models.ForeignKey(
        Agent, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    answered_day = models.DateField()
    answered_slot = models.PositiveSmallIntegerField()  # local minute of the day // 15

    class Meta:
        indexes = [
            models.Index(fields=["queue", "answered_day"], name="agent_slot_queue_day"),
            models.Index(fields=["day"], name="agent_slot_day"),
        ]

    def __str__(self) -> str:
        return f"{self.answered_day} {self.answered_slot} {self.queue_id} {self.agent_id}"


class RollupDay(models.Model):
    """A local day whose rollup rows are out of date: written when a contact of that day is
    derived (its old and new day) or deleted, cleared when the rollup refresh rebuilds it."""

    day = models.DateField(primary_key=True)

    def __str__(self) -> str:
        return self.day.isoformat()


class RollupState(models.Model):
    """One row once the rollups have been built: when they were last brought up to date
    (the pages' "as of"), and the version of the rows: a token drawn anew whenever a rebuild
    writes rollup rows and whenever an agent is written (the agent days hold their codes),
    so a KPI table read from them can be cached under it (``yuqi.operations.kpi.selectors``,
    with the queues and tiers it reads)."""

    refreshed_at = models.DateTimeField()
    version = models.CharField(max_length=32, default=new_version_token)

    def __str__(self) -> str:
        return self.refreshed_at.isoformat()
