"""``yuqi demo``: fill a fresh database with the simulated service centre, step by step.

Each step lives in :mod:`yuqi.demo.steps`, one module per bounded context it fills, and writes
through that context's services and facades where they exist (see the steps' docstrings for the
bulk writes that remain). No product package imports :mod:`yuqi.demo`: the import contract in
``pyproject.toml`` checks it.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from datetime import date

from yuqi.core.bulk import sqlite_build_mode
from yuqi.demo.record import DemoLogin, DemoSummary
from yuqi.demo.simulation import build_centre
from yuqi.demo.steps.accounts import DemoPasswords, create_demo_users, store_demo_passwords
from yuqi.demo.steps.complaints import load_demo_complaints
from yuqi.demo.steps.customers import load_demo_customers
from yuqi.demo.steps.derived import derive_and_analyze, refresh_and_analyze
from yuqi.demo.steps.insights import load_demo_insights
from yuqi.demo.steps.insights_register import load_demo_register
from yuqi.demo.steps.interactions import load_demo_interactions, load_demo_topology
from yuqi.demo.steps.knowledge import load_demo_knowledge
from yuqi.demo.steps.operations import load_demo_segments
from yuqi.demo.steps.quality import load_demo_quality
from yuqi.demo.steps.surveys import load_demo_surveys
from yuqi.demo.steps.textmining import load_demo_text

#: The scientific stack the later steps import where they first need it (text mining: the
#: classifier and themes; surveys and effects: SciPy's statistics; workforce: the plan's
#: optimiser, Erlang, the rosters' CP-SAT with pandas): about 1.5 CPU-s of imports.
LATER_IMPORTS = (
    "scipy.sparse",
    "scipy.special",
    "scipy.integrate",
    "scipy.optimize",
    "scipy.stats",
    "sklearn.feature_extraction.text",
    "sklearn.linear_model",
    "sklearn.svm",
    "sklearn.calibration",
    "sklearn.pipeline",
    "sklearn.model_selection",
    "sklearn.metrics",
    "sklearn.decomposition",
    "joblib",
    "yuqi.domain.text.classifier",
    "ortools.sat.python.cp_model",
)


def import_ahead(modules: tuple[str, ...] = LATER_IMPORTS) -> threading.Thread:
    """Import ``modules`` on a thread, started while the building thread derives the contacts'
    columns and rollups: that is SQLite's own work (its statements run without the GIL), so
    the imports take the other core instead of the steps' time later. Nothing else changes:
    a step importing a module the thread is still importing waits for it (Python's import
    lock), and a failed import here is left to fail again where the step imports it."""

    def run() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # the step's own import reports it
                continue

    thread = threading.Thread(target=run, name="yuqi-demo-imports", daemon=True)
    thread.start()
    return thread


def build_demo(
    *,
    seed: int,
    scale: str,
    end_date: date,
    say: Callable[[str], None] = print,
    passwords: DemoPasswords | None = None,
) -> tuple[DemoSummary, list[DemoLogin]]:
    """Fill the (migrated, empty) database. ``passwords``: the demo users' passwords, hashing
    since before the database was built (``yuqi demo`` starts them first); made here if not.

    On SQLite the build writes without ``fsync`` and with a large page cache
    (:func:`yuqi.core.bulk.sqlite_build_mode`): a failed build is rebuilt from scratch."""
    with sqlite_build_mode():
        return _build(seed=seed, scale=scale, end_date=end_date, say=say, passwords=passwords)


def _build(
    *,
    seed: int,
    scale: str,
    end_date: date,
    say: Callable[[str], None],
    passwords: DemoPasswords | None,
) -> tuple[DemoSummary, list[DemoLogin]]:
    started = time.monotonic()
    passwords = passwords or DemoPasswords()
    centre = build_centre(seed=seed, scale=scale, end_date=end_date)
    # the contacts are simulated in a second process from now on, while this one writes the
    # users, customers and topology, then each day while this one stores the day before
    contacts = centre.interactions().ahead()
    logins = create_demo_users(passwords)
    say(f"  users: {len(logins)} (one per role)")
    customers = load_demo_customers(centre.customers)
    say(f"  customers: {customers:,}")
    load_demo_topology(centre)
    say(f"  queues {len(centre.queues)}, teams {len(centre.teams)}, agents {len(centre.agents)}")
    interactions = load_demo_interactions(
        contacts, on_batch=lambda n: say(f"  interactions: {n:,}…")
    )
    say(f"  interactions: {interactions:,}")
    importing = import_ahead()  # a step needing a module waits for that module only
    derive_and_analyze()  # the contacts stored derived need none (nearly all of them)
    say(f"  KPI columns derived for {interactions:,} contacts, rollups built")
    load_demo_segments(months=3)
    say("  customer pyramid: 3 months of segments")
    complaints = load_demo_complaints(seed=seed)
    say(
        f"  complaints: {complaints.complaints} ({complaints.open} open, "
        f"{complaints.over_level} over-level, {complaints.regulator} regulator appeals, "
        f"{complaints.breached_regulator} of them breached), promises: {complaints.promises}"
    )
    from yuqi.demo.steps.complaint_book import load_demo_complaint_book

    casebook = load_demo_complaint_book()
    say(
        f"  complaint book: {casebook.tickets} open tickets with playbooks, "
        f"{casebook.showcased} worked by the book, {casebook.appeals} regulator appeal"
    )
    importing.join()  # done long before; the text step forks, never while it imports
    text = load_demo_text()
    say(
        f"  text mining: {text.analysed} complaints analysed, {text.labelled} labels confirmed, "
        f"model v{text.model_version or '-'} (accuracy {text.accuracy}, macro-F1 "
        f"{text.macro_f1}), {text.themes} themes in the last 30 days"
    )
    peers = load_demo_insights(end_date=end_date, seed=seed)
    say(
        f"  peer benchmarks: {peers.peers} centres, {peers.values} indicator values, "
        f"{peers.offerings} offerings"
    )
    surveys = load_demo_surveys(seed=seed, end_date=end_date)
    say(
        f"  surveys: SERVQUAL campaign {surveys.servqual_responses}/{surveys.servqual_invited} "
        f"answered, Kano {surveys.kano_responses}, post-contact {surveys.post_contact_responses} "
        f"({surveys.follow_ups} follow-ups); survey link for testing: {surveys.sample_link}"
    )
    register = load_demo_register(end_date=end_date)
    say(
        f"  expectation register: {register.expectations} expectations graded "
        f"A {register.grades.get('A', 0)} / B {register.grades.get('B', 0)} / "
        f"C {register.grades.get('C', 0)}, {register.runs} evaluation runs"
    )
    knowledge = load_demo_knowledge(seed=seed)
    say(
        f"  knowledge: {knowledge.articles} articles ({knowledge.generated} generated from "
        f"the service standards and the C-grade guidance scripts), {knowledge.uses} article "
        "uses on complaints"
    )
    quality = load_demo_quality(seed=seed, end_date=end_date)
    say(
        f"  quality: {quality.evaluations} evaluations of {quality.agents} agents "
        f"({quality.disputes} disputed), calibration {quality.calibration_evaluations} scores, "
        f"{quality.peer_calls} peer test calls → {quality.peer_values} benchmark values, "
        f"{quality.training_records} training records, {quality.coaching_notes} coaching notes, "
        f"{quality.flags} automatic flags"
    )
    from yuqi.demo.steps.workforce import load_demo_workforce

    workforce = load_demo_workforce(centre, seed=seed)
    say(workforce.summary())
    from yuqi.demo.steps.improvement import load_demo_improvement

    improvement = load_demo_improvement(end_date=end_date, days=centre.days)
    say(
        f"  improvement actions: {improvement.actions} ({improvement.from_register} from the "
        f"register; {improvement.by_status}), verified effective {improvement.effective or '-'}, "
        f"no effect {improvement.no_effect or '-'}"
    )
    from yuqi.demo.steps.survey_waves import load_demo_survey_waves

    pulse = load_demo_survey_waves(seed=seed)
    say(
        f"  survey waves: {pulse.waves} waves of demo-pulse ({'/'.join(map(str, pulse.responses))} "
        f"answers), significant: {', '.join(pulse.significant) or 'none'}; Kano slides: "
        f"{', '.join(pulse.slides) or 'none'}; over-served {pulse.over_served}, too low "
        f"{pulse.too_low}; origins on {pulse.origins} expectations"
    )
    from yuqi.demo.steps.privacy import load_demo_privacy

    privacy = load_demo_privacy(end_date=end_date)
    say(f"  personal information: {privacy.requests} requests, {privacy.consents} consent entries")
    from yuqi.demo.steps.channels import load_demo_channels

    channels = load_demo_channels()
    say(
        f"  customer channels: {channels.submissions} filed on the public form "
        f"(ticket {', '.join(channels.tickets) or '—'}), {channels.notices_sent} notice sent "
        f"to {channels.recipients} customers, 1 held by the tier guard (/channels/notices/)"
    )
    from yuqi.demo.steps.mailbox import load_demo_mailbox

    say(load_demo_mailbox().summary())
    days = refresh_and_analyze()
    say(f"  KPI rollups brought up to date ({days} days rebuilt), statistics refreshed")
    from yuqi.operations.pyramid.service_store import service_refresh

    # stored now, so the first view of the pyramid does not compute it (the worker keeps it)
    say(f"  customer pyramid: service by segment stored for {service_refresh()} period(s)")
    store_demo_passwords(passwords)
    summary = DemoSummary(
        seed,
        scale,
        end_date.isoformat(),
        customers,
        interactions,
        round(time.monotonic() - started, 1),
    )
    return summary, logins
