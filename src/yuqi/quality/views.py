"""Pages of the quality context: thin — parse, check access, call a service or selector."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuqi.core.access import requires, signed_in
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.core.listing import paginate
from yuqi.domain.qa_forms import parse_form
from yuqi.imports.outcome import report_run
from yuqi.quality import ports, presenters, selectors, services
from yuqi.quality.choices import (
    EvaluationStatus,
    FlagStatus,
    PhraseSeverity,
    SampleMethod,
    SubjectKind,
)
from yuqi.quality.importers import TRAINING_UPLOAD_MAX_BYTES, TRAINING_UPLOAD_SUFFIXES
from yuqi.quality.models import (
    AutoFlag,
    CalibrationSession,
    CoachingNote,
    Evaluation,
    MysteryTask,
    PeerTestCall,
    PhraseRule,
    QaForm,
    SampleList,
    TrainingRecord,
)

VIEW = "quality.view_quality"
EVALUATE = "quality.evaluate"
CONFIGURE = "quality.configure_quality"
OWN = "quality.view_own_evaluations"
PEER_CALLS = "quality.add_peertestcall"
TRAINING = "quality.add_trainingrecord"
MAX_FIELD = 2_000


def _text(request: HttpRequest, name: str, limit: int = MAX_FIELD) -> str:
    value = request.POST.get(name, "")
    if len(value) > limit:
        raise DomainError(_("At most %(n)s characters.") % {"n": limit}, field=name)
    return value.strip()


def _int(value: Any, name: str, *, low: int = 0, high: int = 10**9) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("Enter a whole number."), field=name) from None
    if not low <= number <= high:
        raise DomainError(
            _("Enter a number from %(a)s to %(b)s.") % {"a": low, "b": high}, field=name
        )
    return number


def _date(value: Any, name: str) -> date:
    parsed = parse_date(str(value or "").strip()[:10])
    if parsed is None:
        raise DomainError(_("Enter a date (YYYY-MM-DD)."), field=name)
    return parsed


def _period(request: HttpRequest, days: int = 30) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        end = _date(request.GET.get("to"), "to") if request.GET.get("to") else today
        start = (
            _date(request.GET.get("from"), "from")
            if request.GET.get("from")
            else end - timedelta(days=days - 1)
        )
    except DomainError:
        return today - timedelta(days=days - 1), today
    if start > end or (end - start).days > 366:
        return end - timedelta(days=days - 1), end
    return start, end


def _answers(request: HttpRequest, spec: Any) -> tuple[dict[str, Any], dict[str, str]]:
    answers = {item.key: request.POST.get(f"item_{item.key}", "")[:10] for item in spec.items}
    notes = {item.key: request.POST.get(f"note_{item.key}", "")[:500] for item in spec.items}
    return answers, notes


def _fail(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)


# ---------------------------------------------------------------------------- overview


@requires(VIEW)
def home(request: HttpRequest) -> HttpResponse:
    forms = QaForm.objects.filter(active=True).prefetch_related("versions")
    context = {
        "forms": [(f, services.latest_version(f)) for f in forms if f.versions.all()],
        "disputes": selectors.disputes_to_review(request.user).count(),
        "open_flags": AutoFlag.objects.filter(status=FlagStatus.OPEN).count(),
        "samples": SampleList.objects.annotate(n=Count("items"))[:5],
        "sessions": CalibrationSession.objects.all()[:5],
        "recent": selectors.evaluation_list()[:20],
    }
    return render(request, "quality/home.html", context)


@requires(VIEW)
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    form = get_object_or_404(QaForm, pk=pk)
    versions = list(form.versions.all())
    number = request.GET.get("v")
    version = next(
        (v for v in versions if str(v.number) == number), versions[0] if versions else None
    )
    if version is None:
        raise Http404
    return render(
        request,
        "quality/form.html",
        {
            "form": form,
            "version": version,
            "versions": versions,
            "sections": presenters.sections(parse_form(version.structure)),
        },
    )


MAX_FORM_JSON = 50_000


@requires(CONFIGURE)
def form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a new version of a form from its JSON (earlier evaluations keep theirs)."""
    import json

    form = get_object_or_404(QaForm, pk=pk)
    current = services.latest_version(form)
    text = json.dumps(current.structure, ensure_ascii=False, indent=2)
    if request.method == "POST":
        text = request.POST.get("structure", "")
        try:
            if len(text) > MAX_FORM_JSON:
                raise DomainError(
                    _("At most %(n)s characters.") % {"n": MAX_FORM_JSON}, field="structure"
                )
            try:
                structure = json.loads(text)
            except ValueError:
                raise DomainError(_("The form is not valid JSON."), field="structure") from None
            if not isinstance(structure, dict):
                raise DomainError(_("The form is not valid JSON."), field="structure")
            version = services.qa_form_publish(form=form, structure=structure, by=request.user)
        except DomainError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Version %(n)s published.") % {"n": version.number})
            return redirect("quality:form", pk=form.pk)
    return render(
        request, "quality/form_edit.html", {"form": form, "current": current, "text": text}
    )


# ---------------------------------------------------------------------------- evaluations


@requires(EVALUATE)
def evaluate(request: HttpRequest) -> HttpResponse:
    """Score a contact or ticket: ``?kind=interaction&id=…&form=…`` (``sample_item`` optional)."""
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind", SubjectKind.INTERACTION)
    if kind not in (SubjectKind.INTERACTION, SubjectKind.COMPLAINT):
        raise Http404
    try:
        subject_id = _int(source.get("id"), "id", low=1)
        subject = services.subject_for(kind, subject_id)
    except DomainError as error:
        _fail(request, error)
        return redirect("quality:home")
    default = "complaint" if kind == SubjectKind.COMPLAINT else "call"
    forms = list(QaForm.objects.filter(active=True).exclude(kind="mystery"))
    chosen = next((f for f in forms if str(f.pk) == source.get("form")), None) or next(
        (f for f in forms if f.kind == default), None
    )
    if chosen is None:
        raise Http404
    version = services.latest_version(chosen)
    spec = parse_form(version.structure)
    own = services.is_own_contact(request.user, subject)
    if request.method == "POST" and not own:
        answers, notes = _answers(request, spec)
        sample_item = None
        if source.get("sample_item"):
            from yuqi.quality.models import SampleItem

            sample_item = SampleItem.objects.filter(
                pk=_int(source.get("sample_item"), "sample_item", low=1),
                subject_kind=kind,
                subject_id=subject_id,
            ).first()
        try:
            row = services.evaluation_submit(
                form_version=version,
                subject_kind=kind,
                subject_id=subject_id,
                evaluator=request.user,
                answers=answers,
                item_notes=notes,
                comment=_text(request, "comment"),
                sample_item=sample_item,
            )
        except DomainError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Evaluation saved."))
            return redirect("quality:evaluation", pk=row.pk)
    return render(
        request,
        "quality/evaluate.html",
        {
            "subject": subject,
            "own": own,
            "forms": forms,
            "chosen": chosen,
            "version": version,
            "sections": presenters.sections(spec),
            "values": request.POST if request.method == "POST" else {},
            "sample_item": source.get("sample_item", ""),
            "evidence": presenters.evidence(subject.evidence),
        },
    )


def _visible(request: HttpRequest, row: Evaluation) -> bool:
    user = request.user
    if user.has_perm(VIEW):
        return True
    return (
        user.has_perm(OWN)
        and services.is_agent_of(user, row)
        and row.status != EvaluationStatus.CALIBRATION
    )


@signed_in
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        Evaluation.objects.select_related("form_version__form", "evaluator", "reviewer"), pk=pk
    )
    if not _visible(request, row):
        raise Http404
    spec = parse_form(row.form_version.structure)
    latest = services.latest_version(row.form_version.form)
    is_agent = services.is_agent_of(request.user, row)
    return render(
        request,
        "quality/evaluation.html",
        {
            "row": row,
            "sections": presenters.scored_sections(spec, row.answers, row.item_notes),
            "evidence": presenters.evidence(row.evidence),
            "outdated": latest.pk != row.form_version_id,
            "latest": latest,
            "is_agent": is_agent,
            "can_answer": is_agent and row.status == EvaluationStatus.SUBMITTED,
            "window_open": row.dispute_until is None or now() <= row.dispute_until,
            "can_review": (
                request.user.has_perm(EVALUATE)
                and row.status == EvaluationStatus.DISPUTED
                and request.user.pk != row.evaluator_id
                and not is_agent
            ),
            "edit_sections": presenters.sections(spec),
        },
    )


@require_POST
@signed_in
def evaluation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The agent acknowledges (``action=acknowledge``) or disputes (``action=dispute``)."""
    row = get_object_or_404(Evaluation, pk=pk)
    if not request.user.has_perm(OWN) or not services.is_agent_of(request.user, row):
        raise Http404
    try:
        if request.POST.get("action") == "dispute":
            services.evaluation_dispute(
                evaluation=row, by=request.user, reason=_text(request, "reason")
            )
            messages.success(request, _("Dispute sent to a second evaluator."))
        else:
            services.evaluation_acknowledge(evaluation=row, by=request.user)
            messages.success(request, _("Evaluation acknowledged."))
    except DomainError as error:
        _fail(request, error)
    return redirect("quality:evaluation", pk=pk)


@require_POST
@requires(EVALUATE)
def evaluation_review(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Evaluation.objects.select_related("form_version"), pk=pk)
    answers = None
    if request.POST.get("rescore"):
        answers, _notes = _answers(request, parse_form(row.form_version.structure))
    try:
        services.evaluation_review(
            evaluation=row, by=request.user, answers=answers, comment=_text(request, "comment")
        )
        messages.success(request, _("Dispute reviewed."))
    except DomainError as error:
        _fail(request, error)
    return redirect("quality:evaluation", pk=pk)


@requires(OWN)
def my_evaluations(request: HttpRequest) -> HttpResponse:
    rows = selectors.own_evaluations(request.user)
    listing = paginate(request, rows, 30)
    return render(
        request,
        "quality/my_evaluations.html",
        {"page": listing.page, "query": listing.query, "rows": listing.page.object_list},
    )


@requires(VIEW)
def evaluations(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in EvaluationStatus.values:
        status = ""
    agent = request.GET.get("agent", "")[:40]
    rows = selectors.evaluation_list(agent_code=agent, status=status)
    listing = paginate(request, rows, 50)
    return render(
        request,
        "quality/evaluations.html",
        {
            "page": listing.page,
            "query": listing.query,
            "rows": listing.page.object_list,
            "status": status,
            "agent": agent,
            "statuses": EvaluationStatus.choices,
            "disputes": selectors.disputes_to_review(request.user)[:50],
        },
    )


# ---------------------------------------------------------------------------- samples


@requires(VIEW)
def samples(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.has_perm(EVALUATE):
            raise Http404
        try:
            sample = services.sample_draw(
                name=_text(request, "name", 120),
                method=request.POST.get("method", "")[:20],
                period_start=_date(request.POST.get("period_start"), "period_start"),
                period_end=_date(request.POST.get("period_end"), "period_end"),
                per_agent=_int(request.POST.get("per_agent"), "per_agent", low=1, high=20),
                seed=_int(request.POST.get("seed") or 1, "seed", high=2**31),
                by=request.user,
            )
        except DomainError as error:
            _fail(request, error)
        else:
            return redirect("quality:sample", pk=sample.pk)
    today = timezone.localdate()
    return render(
        request,
        "quality/samples.html",
        {
            "rows": SampleList.objects.annotate(n=Count("items"))[:50],
            "methods": SampleMethod.choices,
            "default_start": today - timedelta(days=7),
            "default_end": today,
        },
    )


@requires(VIEW)
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sample = get_object_or_404(SampleList, pk=pk)
    items = list(sample.items.all())
    done = dict(
        Evaluation.objects.filter(sample_item__in=items).values_list("sample_item_id", "pk")
    )
    agents = ports.agent_refs({i.agent_code for i in items})
    rows = [(i, done.get(i.pk), agents.get(i.agent_code)) for i in items]
    return render(request, "quality/sample.html", {"sample": sample, "rows": rows})


# ---------------------------------------------------------------------------- calibration


@requires(VIEW)
def calibrations(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import get_user_model

    if request.method == "POST":
        if not request.user.has_perm(EVALUATE):
            raise Http404
        try:
            form = get_object_or_404(QaForm, pk=_int(request.POST.get("form"), "form", low=1))
            ids = [
                _int(v, "subjects", low=1)
                for v in request.POST.get("subjects", "").replace("，", ",").split(",")[:60]
                if v.strip()
            ]
            users = get_user_model().objects.filter(
                pk__in=[
                    _int(v, "evaluators", low=1) for v in request.POST.getlist("evaluators")[:20]
                ]
            )
            kind = SubjectKind.COMPLAINT if form.kind == "complaint" else SubjectKind.INTERACTION
            session = services.calibration_create(
                name=_text(request, "name", 120),
                form_version=services.latest_version(form),
                subjects=[(kind, i) for i in ids],
                evaluators=[u for u in users if u.has_perm(EVALUATE)],
                by=request.user,
            )
        except DomainError as error:
            _fail(request, error)
        else:
            return redirect("quality:calibration", pk=session.pk)
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    perm = Permission.objects.filter(codename="evaluate", content_type__app_label="quality")
    evaluators = (
        get_user_model()
        .objects.filter(
            Q(groups__permissions__in=perm) | Q(user_permissions__in=perm) | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
    )
    return render(
        request,
        "quality/calibrations.html",
        {
            "rows": CalibrationSession.objects.select_related("form_version__form")[:50],
            "forms": QaForm.objects.filter(active=True).exclude(kind="mystery"),
            "evaluators": evaluators,
        },
    )


@requires(VIEW)
def calibration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        CalibrationSession.objects.select_related("form_version__form"), pk=pk
    )
    stats = selectors.calibration_stats(session)
    return render(
        request,
        "quality/calibration.html",
        {
            "session": session,
            "stats": stats,
            "grid": presenters.calibration_grid(stats),
            "is_evaluator": session.evaluators.filter(pk=request.user.pk).exists(),
            "readings": presenters.READINGS,
        },
    )


@requires(EVALUATE)
def calibration_score(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    session = get_object_or_404(CalibrationSession.objects.select_related("form_version"), pk=pk)
    if not 0 <= index < len(session.subjects):
        raise Http404
    kind, subject_id = session.subjects[index]
    spec = parse_form(session.form_version.structure)
    if request.method == "POST":
        answers, _notes = _answers(request, spec)
        try:
            services.calibration_score(
                session=session,
                evaluator=request.user,
                subject_kind=kind,
                subject_id=subject_id,
                answers=answers,
                comment=_text(request, "comment"),
            )
        except DomainError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Calibration score saved."))
            return redirect("quality:calibration", pk=pk)
    subject = services.subject_for(kind, subject_id)
    return render(
        request,
        "quality/calibration_score.html",
        {
            "session": session,
            "subject": subject,
            "sections": presenters.sections(spec),
            "evidence": presenters.evidence(subject.evidence),
            "values": request.POST if request.method == "POST" else {},
        },
    )


# ---------------------------------------------------------------------------- automatic checks


@requires(VIEW)
def flags(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", FlagStatus.OPEN)
    if status not in FlagStatus.values:
        status = FlagStatus.OPEN
    rows = AutoFlag.objects.filter(status=status)
    listing = paginate(request, rows, 50)
    return render(
        request,
        "quality/flags.html",
        {
            "page": listing.page,
            "query": listing.query,
            "rows": listing.page.object_list,
            "status": status,
            "statuses": FlagStatus.choices,
            "precision": selectors.flag_precision(),
            "phrases": PhraseRule.objects.all(),
            "severities": PhraseSeverity.choices,
            "can_configure": request.user.has_perm(CONFIGURE),
            "can_decide": request.user.has_perm(EVALUATE),
        },
    )


@require_POST
@requires(EVALUATE)
def flag_decide(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(AutoFlag, pk=pk)
    services.flag_decide(
        flag=flag, by=request.user, confirm=request.POST.get("action") == "confirm"
    )
    return redirect(f"{_url('quality:flags')}?status={FlagStatus.OPEN}")


@require_POST
@requires(CONFIGURE)
def phrase_add(request: HttpRequest) -> HttpResponse:
    try:
        services.phrase_rule_add(
            phrase=_text(request, "phrase", 60), severity=request.POST.get("severity", "")[:12]
        )
    except DomainError as error:
        _fail(request, error)
    return redirect("quality:flags")


@require_POST
@requires(CONFIGURE)
def phrase_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    services.phrase_rule_toggle(rule=get_object_or_404(PhraseRule, pk=pk))
    return redirect("quality:flags")


@require_POST
@requires(EVALUATE)
def checks_now(request: HttpRequest) -> HttpResponse:
    result = services.checks_run(since=now() - timedelta(days=7))
    messages.success(request, _("%(n)s new flags.") % {"n": result.created})
    return redirect("quality:flags")


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


# ---------------------------------------------------------------------------- mystery shopping


@requires(VIEW)
def mystery(request: HttpRequest) -> HttpResponse:
    start, end = _period(request, 90)
    return render(
        request,
        "quality/mystery.html",
        {
            "tasks": MysteryTask.objects.select_related("form")[:50],
            "calls": PeerTestCall.objects.all()[:50],
            "aggregates": selectors.peer_call_aggregates(period_start=start, period_end=end),
            "start": start,
            "end": end,
            "forms": QaForm.objects.filter(active=True, kind="mystery"),
            "can_log": request.user.has_perm(PEER_CALLS),
            "today": timezone.localdate(),
        },
    )


@require_POST
@requires("quality.add_mysterytask")
def mystery_task_new(request: HttpRequest) -> HttpResponse:
    try:
        services.mystery_task_create(
            title=_text(request, "title", 120),
            scenario=_text(request, "scenario"),
            script=_text(request, "script"),
            shopper=_text(request, "shopper", 80),
            channel=_text(request, "channel", 20),
            planned_on=_date(request.POST.get("planned_on"), "planned_on"),
            form=get_object_or_404(QaForm, pk=_int(request.POST.get("form"), "form", low=1)),
            by=request.user,
        )
    except DomainError as error:
        _fail(request, error)
    return redirect("quality:mystery")


@requires(EVALUATE)
def mystery_task_score(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(MysteryTask.objects.select_related("form"), pk=pk)
    spec = parse_form(services.latest_version(task.form).structure)
    if request.method == "POST":
        answers, _notes = _answers(request, spec)
        try:
            row = services.mystery_task_score(
                task=task,
                evaluator=request.user,
                answers=answers,
                agent_code=_text(request, "agent_code", 40),
                done_on=_date(request.POST.get("done_on"), "done_on"),
                comment=_text(request, "comment"),
            )
        except DomainError as error:
            _fail(request, error)
        else:
            return redirect("quality:evaluation", pk=row.pk)
    return render(
        request,
        "quality/mystery_score.html",
        {
            "task": task,
            "sections": presenters.sections(spec),
            "values": request.POST if request.method == "POST" else {},
            "today": timezone.localdate(),
        },
    )


def _bool(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get((value or "").strip())


@require_POST
@requires(PEER_CALLS)
def peer_call_new(request: HttpRequest) -> HttpResponse:
    try:
        raw = request.POST.get("called_at", "")[:30]
        called = parse_datetime(raw.replace("T", " ")) if raw else None
        if called is None:
            raise DomainError(_("Enter the time of the call."), field="called_at")
        if timezone.is_naive(called):
            called = timezone.make_aware(called)
        wait = request.POST.get("wait_seconds", "").strip()
        services.peer_call_log(
            peer=_text(request, "peer", 120),
            called_at=called,
            number_called=_text(request, "number_called", 30),
            answered=_bool(request.POST.get("answered")) is True,
            wait_seconds=_int(wait, "wait_seconds", high=7200) if wait else None,
            ivr_steps=_int(request.POST.get("ivr_steps") or 0, "ivr_steps", high=30),
            question_answered=_bool(request.POST.get("question_answered")),
            notes=_text(request, "notes"),
            by=request.user,
        )
    except DomainError as error:
        _fail(request, error)
    return redirect("quality:mystery")


@require_POST
@requires(PEER_CALLS, "insights.add_peerindicatorvalue")
def peer_publish(request: HttpRequest) -> HttpResponse:
    try:
        start = _date(request.POST.get("from"), "from")
        end = _date(request.POST.get("to"), "to")
        if end < start:
            raise DomainError(_("The period ends before it starts."), field="to")
        result = services.peer_calls_publish(period_start=start, period_end=end)
    except DomainError as error:
        _fail(request, error)
    else:
        messages.success(
            request,
            _("%(v)s peer indicator values from %(p)s peers written to the benchmarks.")
            % {"v": result.values, "p": result.peers},
        )
    return redirect("quality:mystery")


# ------------------------------------------------------------- agents, coaching, training


@requires(VIEW)
def agents(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    rows = selectors.agent_quality(start=start, end=end)
    return render(
        request,
        "quality/agents.html",
        {
            "rows": presenters.agent_rows(rows),
            "teams": presenters.team_rows(selectors.team_quality(rows)),
            "start": start,
            "end": end,
        },
    )


@requires(VIEW)
def agent_detail(request: HttpRequest, code: str) -> HttpResponse:
    start, end = _period(request, 90)
    found = selectors.agent_quality(start=start, end=end, agent_codes=[code[:40]])
    if not found:
        raise Http404
    if request.method == "POST":
        if not request.user.has_perm(EVALUATE):
            raise Http404
        try:
            follow = request.POST.get("follow_up_on", "").strip()
            services.coaching_note_add(
                agent_code=found[0].code,
                coach=request.user,
                topic=_text(request, "topic", 120),
                note=_text(request, "note"),
                coached_on=_date(request.POST.get("coached_on"), "coached_on"),
                follow_up_on=_date(follow, "follow_up_on") if follow else None,
            )
            messages.success(request, _("Coaching note saved."))
        except DomainError as error:
            _fail(request, error)
        return redirect("quality:agent", code=found[0].code)
    return render(
        request,
        "quality/agent.html",
        {
            "agent": presenters.agent_rows(found)[0],
            "trend": found[0].trend,
            "evaluations": selectors.evaluation_list(agent_code=found[0].code)[:30],
            "notes": CoachingNote.objects.filter(agent_code=found[0].code).select_related("coach")[
                :30
            ],
            "training": TrainingRecord.objects.filter(agent_code=found[0].code)[:30],
            "start": start,
            "end": end,
            "today": timezone.localdate(),
        },
    )


@require_POST
@requires(EVALUATE)
def coaching_done(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(CoachingNote, pk=pk)
    services.coaching_follow_up_done(note=note)
    return redirect("quality:agent", code=note.agent_code)


@requires(VIEW, TRAINING)
@require_POST
def training_import(request: HttpRequest) -> HttpResponse:
    """Import a file of training records now (supervisors have no imports page); the counts
    and the first rejected rows come back as messages on the training page."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or Excel file."))
        return redirect("quality:training")
    if (upload.size or 0) > TRAINING_UPLOAD_MAX_BYTES:
        messages.error(request, _("The file is larger than 5 MB."))
        return redirect("quality:training")
    if not (upload.name or "").lower().endswith(TRAINING_UPLOAD_SUFFIXES):
        messages.error(request, _("Upload a .csv or .xlsx file."))
        return redirect("quality:training")
    done = services.training_file_import(name=upload.name, content=upload, by=request.user)
    run = done.run
    report_run(request, run)
    for row, column, reason in done.rejected:
        messages.warning(
            request,
            _("Row %(row)s, %(column)s: %(reason)s")
            % {"row": row, "column": column, "reason": reason},
        )
    return redirect("quality:training")


@requires(VIEW)
def training(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.has_perm(TRAINING):
            raise Http404
        try:
            try:
                hours = Decimal(request.POST.get("hours", "")[:10])
            except InvalidOperation:
                raise DomainError(
                    _("Hours must be above 0 and at most 200."), field="hours"
                ) from None
            services.training_record_add(
                agent_code=_text(request, "agent_code", 40),
                course=_text(request, "course", 120),
                hours=hours,
                taken_on=_date(request.POST.get("taken_on"), "taken_on"),
                result=_text(request, "result", 60),
            )
            messages.success(request, _("Training record saved."))
        except DomainError as error:
            _fail(request, error)
        return redirect("quality:training")
    listing = paginate(request, TrainingRecord.objects.all(), 50)
    return render(
        request,
        "quality/training.html",
        {
            "page": listing.page,
            "query": listing.query,
            "rows": listing.page.object_list,
            "can_add": request.user.has_perm(TRAINING),
            "today": timezone.localdate(),
        },
    )
