"""The demo's contacts step alone: ``load_demo_interactions`` into a fresh SQLite data folder,
after the centre, customers and topology, with the CPU seconds of this process and of its
children (the simulation process where the tree has ``ahead()``).

    PYTHONPATH=<tree>/src .venv/bin/python bench/demo_contacts_bench.py [small|medium|large]
        [--in-process] [--profile]

``--in-process``: the days simulated in this process (``days()``) rather than ahead;
``--profile``: cProfile of the step, the 30 most expensive functions by own time.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import resource
import sys
import tempfile
import time


def cpu(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    scale = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "medium"
    os.environ["YUQI_DATA_DIR"] = tempfile.mkdtemp(prefix="demo-contacts-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuqi.config.settings")
    import django

    django.setup()
    from datetime import date

    from yuqi.core.fresh_schema import migrate_fresh
    from yuqi.demo.simulation import build_centre
    from yuqi.demo.steps.customers import load_demo_customers
    from yuqi.demo.steps.interactions import load_demo_interactions, load_demo_topology

    migrate_fresh()
    centre = build_centre(seed=7, scale=scale, end_date=date(2026, 11, 30))  # type: ignore[arg-type]
    load_demo_customers(centre.customers)
    load_demo_topology(centre, agent_user=None)
    load = os.getloadavg()[0]
    c0, t0 = cpu(), time.perf_counter()
    stream = centre.interactions()
    if hasattr(stream, "ahead") and "--in-process" not in sys.argv:
        stream = stream.ahead()
    profile = cProfile.Profile() if "--profile" in sys.argv else None
    if profile:
        profile.enable()
    count = load_demo_interactions(stream)
    if profile:
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    children = cpu(resource.RUSAGE_CHILDREN)
    print(
        f"{scale}: {count:,} contacts, {cpu() - c0:.2f} CPU-s (+ {children:.2f}"
        f" in child processes), {time.perf_counter() - t0:.1f} s wall, load {load:.1f} → "
        f"{os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":  # the simulation's spawned process imports this module again
    main()
