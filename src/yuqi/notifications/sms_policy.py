"""The rules a text message to a customer obeys, read from the settings: quiet hours (by the
default business calendar's rest days), the daily limit per phone number, and the retry
back-off. The arithmetic is in :mod:`yuqi.domain.sms_policy`."""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone

from yuqi.core.clock import now
from yuqi.domain.sms_policy import QuietHours, quiet_until, retry_delay
from yuqi.notifications.choices import CODE_KIND, ChannelName, MessageStatus
from yuqi.notifications.models import OutboundMessage


def quiet_hours() -> QuietHours | None:
    return QuietHours.parse(
        getattr(settings, "SMS_QUIET_HOURS", ""), getattr(settings, "SMS_QUIET_REST_DAY_END", "")
    )


def _is_rest_day(day: date) -> bool:
    """A weekend or public holiday by the default business calendar (调休 days work)."""
    from yuqi.calendars.facade import calendar_for

    try:
        return not calendar_for().day_info(day).is_working_day
    except Exception:  # a calendar that cannot be read: weekends rest
        return day.weekday() >= 5


def quiet_exempt(template: str) -> bool:
    return template == CODE_KIND or template in getattr(settings, "SMS_QUIET_EXEMPT", ())


def quiet_until_local(*, template: str = "", at: datetime | None = None) -> datetime | None:
    """When quiet hours end if a text to a customer is due at ``at`` (now); None to send.
    One-time codes and the templates listed in ``YUQI_SMS_QUIET_EXEMPT`` are never held."""
    hours = quiet_hours()
    if hours is None or quiet_exempt(template):
        return None
    return quiet_until(timezone.localtime(at or now()), hours, _is_rest_day)


def daily_limit_reached(*, address: str, exclude_id: int | None = None) -> int:
    """The limit when ``address`` already had that many texts sent today (local day), else 0."""
    limit = int(getattr(settings, "SMS_DAILY_LIMIT_PER_PHONE", 0) or 0)
    if limit <= 0 or not address:
        return 0
    local = timezone.localtime(now())
    midnight = timezone.make_aware(datetime.combine(local.date(), time.min), local.tzinfo)
    rows = OutboundMessage.objects.filter(
        channel=ChannelName.SMS,
        address=address,
        status__in=(MessageStatus.SENT, MessageStatus.DELIVERED),
        sent_at__gte=midnight,
    )
    if exclude_id is not None:
        rows = rows.exclude(pk=exclude_id)
    sent = rows.count()
    return limit if sent >= limit else 0


def retry_at(attempt: int, moment: datetime) -> datetime:
    """When to try again after failed attempt ``attempt``."""
    return moment + retry_delay(attempt, base_seconds=settings.SMS_RETRY_BASE_SECONDS)
