"""``yuqi manage workforce_rollups [--date-from D] [--date-to D]``: rebuild the agent-time
rollup the KPI pages' occupancy reads (the worker keeps it fresh every minute)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yuqi.workforce.rollups import agent_time_rebuild, analyze_agent_time


class Command(BaseCommand):
    help = "Rebuild the agent-time rollup of a range of local days (or of every day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date-from", type=dt.date.fromisoformat, help="first local day")
        parser.add_argument("--date-to", type=dt.date.fromisoformat, help="last local day")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = agent_time_rebuild(options["date_from"], options["date_to"])
        analyze_agent_time()
        self.stdout.write(
            f"agent time: rebuilt {result.days} days, {result.rows} slot rows "
            f"in {time.perf_counter() - started:.1f} s"
        )
