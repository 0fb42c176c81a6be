"""The message log page: what was sent to whom, and what failed (staff only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuqi.core.access import requires
from yuqi.core.listing import paginate
from yuqi.notifications.choices import ChannelName, MessageStatus
from yuqi.notifications.facade import to_sent_message
from yuqi.notifications.selectors import message_rows


@requires("notifications.view_outboundmessage")
def message_list(request: HttpRequest) -> HttpResponse:
    filters = {
        "status": request.GET.get("status", ""),
        "channel": request.GET.get("channel", ""),
        "ref": request.GET.get("ref", "")[:80],
    }
    listing = paginate(request, message_rows(**filters))
    context = {
        # not "messages": base.html renders Django's flash messages under that name
        "sent_messages": [to_sent_message(row) for row in listing.page.object_list],
        "page": listing.page,
        "query": listing.query,
        "filters": filters,
        "statuses": MessageStatus.choices,
        "channels": ChannelName.choices,
    }
    return render(request, "notifications/list.html", context)
