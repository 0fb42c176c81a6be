"""Every write of the surveys context: surveys and versions, opt-outs, invitations,
responses and the closed loop, follow-ups. Campaigns: ``yuqi.surveys.campaigns``;
post-contact triggers: ``yuqi.surveys.post_contact``.

Versioning rule: a version is frozen once it has been sent or answered (``frozen_at``);
any question edit on a survey whose current version is frozen first copies it into a new
version, which becomes current. Answers and invitations keep the version they used.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from yuqi.core.among import rows_among
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.core.text import has_control_characters, is_slug
from yuqi.surveys import ports
from yuqi.surveys.choices import (
    FIXED_SCALES,
    FollowUpReason,
    FollowUpStatus,
    InvitationChannel,
    InvitationSource,
    QuestionType,
    ResponseChannel,
    SurveyKind,
)
from yuqi.surveys.models import (
    Answer,
    CampaignStratum,
    FollowUp,
    Invitation,
    Question,
    Response,
    Survey,
    SurveyOptOut,
    SurveySettings,
    SurveyVersion,
)
from yuqi.surveys.templates_builtin import ATTITUDE_CODE, RESOLVED_CODE, TEMPLATES
from yuqi.surveys.tokens import new_salt, token_for_salt, token_hash
from yuqi.surveys.validation import AnswerRow, check_question, parse_answers

log = logging.getLogger(__name__)

# Survey codes that would shadow the surveys pages (/surveys/campaigns/, ...).
RESERVED_CODES = frozenset({"new", "templates", "campaigns", "calls", "follow-ups", "settings"})

QUESTION_FIELDS = (
    "type",
    "text",
    "text_en",
    "help",
    "help_en",
    "required",
    "scale_min",
    "scale_max",
    "label_low",
    "label_low_en",
    "label_high",
    "label_high_en",
    "dimension",
    "feature",
    "options",
)


class AnswersInvalid(DomainError):
    """Some answers failed their checks; ``errors`` maps question code → message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(
            _("Some answers need your attention."),
            code="invalid_answers",
            fields=[(f"answers.{code}", message) for code, message in errors.items()],
        )
        self.errors = errors


# --------------------------------------------------------------------------- surveys
NULLABLE_QUESTION_FIELDS = frozenset({"scale_min", "scale_max"})


@transaction.atomic
def survey_create(
    *,
    code: str,
    title: str,
    kind: str = SurveyKind.CUSTOM,
    title_en: str = "",
    intro: str = "",
    intro_en: str = "",
    by: Any = None,
    template_key: str = "",
) -> Survey:
    """A new survey with an empty version 1."""
    code = (code or "").strip()
    if not is_slug(code):
        raise DomainError(_("Use letters, digits, - or _ for the survey code."), field="code")
    if code in RESERVED_CODES:
        raise DomainError(_("This code is reserved; choose another."), field="code")
    if not (title or "").strip():
        raise DomainError(_("The survey needs a title."), field="title")
    if kind not in SurveyKind.values:
        raise DomainError(_("Unknown survey kind."), field="kind")
    if Survey.objects.filter(code=code).exists():
        raise DomainError(
            _("A survey with code %(code)s already exists.") % {"code": code},
            field="code",
            code="conflict",
        )
    survey = Survey.objects.create(
        code=code,
        title=title.strip(),
        title_en=title_en.strip(),
        kind=kind,
        intro=intro,
        intro_en=intro_en,
        created_by=by,
        template_key=template_key,
    )
    version = SurveyVersion.objects.create(survey=survey, number=1, created_by=by)
    survey.current_version = version
    survey.save(update_fields=["current_version"])
    return survey


def version_freeze(*, version: SurveyVersion) -> None:
    """Mark a version as used: from now on editing its survey makes a new version."""
    SurveyVersion.objects.filter(pk=version.pk, frozen_at__isnull=True).update(frozen_at=now())


def _working_version(survey: Survey, by: Any) -> tuple[Survey, SurveyVersion]:
    """The survey (locked) and the version edits go to: the current one, or a fresh copy of
    it when it is frozen."""
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    current = SurveyVersion.objects.select_for_update().get(pk=locked.current_version_id)
    if not current.is_frozen and not current.responses.exists():
        return locked, current
    number = (locked.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    fresh = SurveyVersion.objects.create(survey=locked, number=number, created_by=by)
    Question.objects.bulk_create(
        Question(
            version=fresh,
            order=q.order,
            code=q.code,
            **{name: getattr(q, name) for name in QUESTION_FIELDS},
        )
        for q in current.questions.all()
    )
    locked.current_version = fresh
    locked.save(update_fields=["current_version", "updated_at"])
    return locked, fresh


def _normalised(spec: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: spec[name] for name in QUESTION_FIELDS if name in spec}
    kind = values.get("type")
    if kind in FIXED_SCALES:
        values["scale_min"], values["scale_max"] = FIXED_SCALES[kind]
    elif kind == QuestionType.RATING:
        values.setdefault("scale_min", 1)
        values.setdefault("scale_max", 5)
    else:
        values["scale_min"] = values["scale_max"] = None
    if kind != QuestionType.SERVQUAL_ITEM:
        values["dimension"] = ""
    if kind != QuestionType.KANO_PAIR:
        values["feature"] = ""
    if kind not in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        values["options"] = []
    for name in ("text", "text_en", "help", "help_en"):
        if name in values:
            values[name] = str(values[name] or "").strip()
    return values


TEXT_FIELDS = (
    "text",
    "text_en",
    "help",
    "help_en",
    "label_low",
    "label_low_en",
    "label_high",
    "label_high_en",
)


def _check_spec(spec: Mapping[str, Any]) -> None:
    for name in TEXT_FIELDS:
        if has_control_characters(str(spec.get(name) or "")):
            raise DomainError(_("Remove the control characters from this text."), field=name)
    for option in spec.get("options") or []:
        labels = option.values() if isinstance(option, Mapping) else [option]
        if any(has_control_characters(str(label)) for label in labels):
            raise DomainError(_("Remove the control characters from this text."), field="options")
    errors = check_question(spec)
    if errors:
        raise DomainError(errors[0][1], field=errors[0][0], fields=errors)


@transaction.atomic
def survey_add_question(*, survey: Survey, spec: Mapping[str, Any], by: Any = None) -> Question:
    """Add a question at the end of the survey's working version."""
    code = str(spec.get("code") or "").strip()
    if not is_slug(code):
        raise DomainError(_("Use letters, digits, - or _ for the question code."), field="code")
    _check_spec(spec)
    _locked, version = _working_version(survey, by)
    if version.questions.filter(code=code).exists():
        raise DomainError(
            _("Question code %(code)s is already used in this survey.") % {"code": code},
            field="code",
            code="conflict",
        )
    order = (version.questions.aggregate(top=Max("order"))["top"] or 0) + 1
    values = _normalised(spec)
    return Question.objects.create(version=version, order=order, code=code, **values)


@transaction.atomic
def survey_edit_question(
    *, survey: Survey, code: str, changes: Mapping[str, Any], by: Any = None
) -> Question:
    """Change a question; on a frozen version this creates the next version first."""
    _locked, version = _working_version(survey, by)
    question = version.questions.filter(code=code).first()
    if question is None:
        raise DomainError(
            _("No question %(code)s in this survey.") % {"code": code}, code="not_found"
        )
    for name in QUESTION_FIELDS:
        if name in changes and changes[name] is None and name not in NULLABLE_QUESTION_FIELDS:
            raise DomainError(_("This field cannot be empty (null)."), field=name)
    merged = {name: getattr(question, name) for name in QUESTION_FIELDS}
    merged.update({k: v for k, v in changes.items() if k in QUESTION_FIELDS})
    merged["code"] = code
    _check_spec(merged)
    for name, value in _normalised(merged).items():
        setattr(question, name, value)
    question.save()
    return question


@transaction.atomic
def survey_remove_question(*, survey: Survey, code: str, by: Any = None) -> SurveyVersion:
    _locked, version = _working_version(survey, by)
    deleted, _rows = version.questions.filter(code=code).delete()
    if not deleted:
        raise DomainError(
            _("No question %(code)s in this survey.") % {"code": code}, code="not_found"
        )
    return version


@transaction.atomic
def survey_move_question(
    *, survey: Survey, code: str, offset: int, by: Any = None
) -> SurveyVersion:
    """Move a question up (``offset`` −1) or down (+1) by swapping it with its neighbour."""
    _locked, version = _working_version(survey, by)
    questions = list(version.questions.order_by("order"))
    index = next((i for i, q in enumerate(questions) if q.code == code), None)
    if index is None:
        raise DomainError(
            _("No question %(code)s in this survey.") % {"code": code}, code="not_found"
        )
    target = index + offset
    if 0 <= target < len(questions):
        questions[index], questions[target] = questions[target], questions[index]
        for position, question in enumerate(questions, start=1):
            question.order = position
        Question.objects.bulk_update(questions, ["order"])
    return version


@transaction.atomic
def survey_install_templates(*, keys: Iterable[str] | None = None, by: Any = None) -> list[Survey]:
    """Install the built-in templates not installed yet (by code); return the new surveys.

    Also makes the post-contact template the post-contact survey when none is chosen.
    """
    created = []
    for key in keys or TEMPLATES:
        template = TEMPLATES.get(key)
        if template is None:
            raise DomainError(_("Unknown template %(key)s.") % {"key": key}, field="keys")
        if Survey.objects.filter(code=key).exists():
            continue
        survey = survey_create(
            code=key,
            title=template["title"],
            title_en=template["title_en"],
            kind=template["kind"],
            intro=template["intro"],
            intro_en=template["intro_en"],
            by=by,
            template_key=key,
        )
        version = survey.current_version
        Question.objects.bulk_create(
            Question(version=version, order=order, code=spec["code"], **_normalised(spec))
            for order, spec in enumerate(template["questions"], start=1)
        )
        created.append(survey)
    settings_row = SurveySettings.load()
    if settings_row.post_contact_survey_id is None:
        settings_row.post_contact_survey = Survey.objects.filter(
            kind=SurveyKind.POST_CONTACT
        ).first()
        settings_row.save(update_fields=["post_contact_survey"])
    return created


# --------------------------------------------------------------------------- opt-outs


@transaction.atomic
def survey_opt_out(*, customer_id: int, reason: str = "") -> SurveyOptOut:
    """The customer asked not to be surveyed; pending unanswered links stop working."""
    opt_out, _created = SurveyOptOut.objects.get_or_create(
        customer_id=customer_id, defaults={"reason": reason[:200]}
    )
    Invitation.objects.filter(customer_id=customer_id, answered_at__isnull=True).update(
        expires_at=now()
    )
    ports.record_survey_opt_out(customer_id)
    return opt_out


# --------------------------------------------------------------------------- invitations


def greeting_name(full_name: str) -> str:
    """What the survey page may call the customer: the family name only (no other data).

    A Chinese name gives its first character (张三 → 张); a Latin one its last word.
    """
    name = (full_name or "").strip()
    if not name:
        return ""
    if "\u3400" <= name[0] <= "\u9fff":
        return name[0]
    return name.split()[-1][:40]


def invitation_build(
    *,
    version: SurveyVersion,
    customer_id: int,
    customer_name: str,
    channel: str,
    expires_days: int,
    campaign: Any = None,
    source: str = InvitationSource.CAMPAIGN,
    stratum_key: str = "",
    is_reserve: bool = False,
    complaint_id: int | None = None,
    interaction_id: int | None = None,
    follow_up_owner_id: int | None = None,
) -> Invitation:
    """An unsaved invitation with its token salt and hash (callers save or bulk-create)."""
    salt = new_salt()
    return Invitation(
        campaign=campaign,
        survey_version=version,
        customer_id=customer_id,
        source=source,
        channel=channel,
        stratum_key=stratum_key,
        is_reserve=is_reserve,
        greeting_name=greeting_name(customer_name),
        token_salt=salt,
        token_hash=token_hash(token_for_salt(salt)),
        expires_at=now() + timedelta(days=expires_days),
        complaint_id=complaint_id,
        interaction_id=interaction_id,
        follow_up_owner_id=follow_up_owner_id,
    )


def invitation_token(invitation: Invitation) -> str:
    return token_for_salt(invitation.token_salt)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("survey_public:answer", args=[invitation_token(invitation)])
    return f"{django_settings.PUBLIC_URL}{path}"


def invitation_send(*, invitation: Invitation, expires_days: int | None = None) -> bool:
    """Send one invitation (claimed: a second call sends nothing). Call-list invitations are
    only marked as handed to the agents. Returns True when this call sent it."""
    moment = now()
    updates: dict[str, Any] = {"sent_at": moment}
    if expires_days is not None:
        updates["expires_at"] = moment + timedelta(days=expires_days)
    claimed = Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(**updates)
    if claimed != 1:
        return False
    invitation.refresh_from_db(fields=["sent_at", "expires_at"])
    version_freeze(version=invitation.survey_version)
    _message(invitation, reminder=False)
    return True


def _message(invitation: Invitation, *, reminder: bool) -> None:
    """The invitation (or its reminder) by SMS or e-mail; a call-list invitation is phoned."""
    if invitation.channel == InvitationChannel.CALL_LIST:
        return
    ports.send_invitation_message(
        invitation_id=invitation.pk,
        customer_id=invitation.customer_id,
        channel=invitation.channel,
        greeting_name=invitation.greeting_name,
        url=invitation_url(invitation),
        expires=invitation.expires_at,
        reminder=reminder,
    )


def invitation_remind(*, invitation: Invitation) -> bool:
    """Remind a non-responder once (claimed by a conditional update)."""
    moment = now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk,
        reminded_at__isnull=True,
        answered_at__isnull=True,
        sent_at__isnull=False,
        expires_at__gt=moment,
    ).update(reminded_at=moment)
    if claimed != 1:
        return False
    _message(invitation, reminder=True)
    return True


def invitation_mark_opened(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now())


def recently_surveyed(customer_ids: Iterable[int], *, days: int) -> set[int]:
    """Customers with an invitation created in the last ``days`` days (frequency rule)."""
    if days <= 0:
        return set()
    since = now() - timedelta(days=days)
    recent = Invitation.objects.filter(created_at__gte=since).order_by()
    # a campaign's frame of many customers: see yuqi.core.among
    rows = rows_among(recent, "customer_id", set(customer_ids), ("customer_id",))
    return {row[0] for row in rows}


def opted_out(customer_ids: Iterable[int] | None = None) -> set[int]:
    wanted = None if customer_ids is None else set(customer_ids)
    rows = SurveyOptOut.objects.order_by()
    if wanted is None:
        found = set(rows.values_list("customer_id", flat=True))
    else:  # a campaign's frame of many customers: see yuqi.core.among
        found = {row[0] for row in rows_among(rows, "customer_id", wanted, ("customer_id",))}
    return found | ports.customers_refusing_surveys(wanted)


# --------------------------------------------------------------------------- responses


def _claim(invitation: Invitation) -> None:
    """Claim the invitation for this submission, or say why it cannot be answered."""
    moment = now()
    claimed = Invitation.objects.filter(
        pk=invitation.pk, answered_at__isnull=True, expires_at__gt=moment
    ).update(answered_at=moment)
    if claimed == 1:
        return
    current = Invitation.objects.filter(pk=invitation.pk).values("answered_at").first()
    if current and current["answered_at"] is not None:
        raise DomainError(_("This survey has already been answered."), code="already_answered")
    raise DomainError(_("This survey link has expired."), code="expired")


def _snapshot(invitation: Invitation) -> dict[str, Any]:
    from yuqi.customers.facade import customer_frame

    frame = customer_frame(ids=[invitation.customer_id], active_only=False)
    values: dict[str, Any] = {}
    if frame:
        values.update(
            tier_code=frame[0].tier_code, region=frame[0].region, segment=frame[0].segment
        )
    if invitation.interaction_id:
        from yuqi.interactions.facade import handled_contact

        contact = handled_contact(invitation.interaction_id)
        if contact is not None:
            values["queue_code"] = contact.queue_code
    return values


def _design_weight(invitation: Invitation) -> float:
    """N_h / (invitations sent in the stratum), 1.0 outside a stratified campaign."""
    if invitation.campaign_id is None:
        return 1.0
    stratum = CampaignStratum.objects.filter(
        campaign_id=invitation.campaign_id, key=invitation.stratum_key
    ).first()
    if stratum is None:
        return 1.0
    sent = Invitation.objects.filter(
        campaign_id=invitation.campaign_id,
        stratum_key=invitation.stratum_key,
        sent_at__isnull=False,
    ).count()
    return stratum.population / sent if sent else 1.0


@transaction.atomic
def response_submit(
    *,
    invitation: Invitation,
    answers: Mapping[str, Any],
    channel: str = ResponseChannel.WEB,
    entered_by: Any = None,
    language: str = "",
) -> Response:
    """Store one submission for an invitation: checked answers, one per token.

    The invitation is claimed with a conditional update (``answered_at`` null and not
    expired → now), so of two simultaneous submissions exactly one gets through; the
    unique ``Response.invitation`` is the second guard. Raises :class:`AnswersInvalid`
    with a message per question, or DomainError ``already_answered`` / ``expired``.
    """
    version = invitation.survey_version
    questions = list(version.questions.order_by("order"))
    parsed = parse_answers(questions, answers)
    if parsed.errors:
        raise AnswersInvalid(parsed.errors)
    _claim(invitation)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                invitation=invitation,
                survey_version=version,
                campaign_id=invitation.campaign_id,
                customer_id=invitation.customer_id,
                stratum_key=invitation.stratum_key,
                weight=_design_weight(invitation),
                complaint_id=invitation.complaint_id,
                interaction_id=invitation.interaction_id,
                channel=channel,
                language=language[:10],
                entered_by=entered_by,
                submitted_at=now(),
                **_snapshot(invitation),
            )
    except IntegrityError:
        raise DomainError(
            _("This survey has already been answered."), code="already_answered"
        ) from None
    by_code = {q.code: q for q in questions}
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=by_code[row.code],
            part=row.part,
            value=row.value,
            text=row.text,
            choices=list(row.choices),
        )
        for row in parsed.rows
    )
    version_freeze(version=version)
    _close_loop(response, invitation, parsed.rows)
    return response


# --------------------------------------------------------------------------- closed loop


def unhappy_reasons(
    kind: str, rows: Iterable[AnswerRow], *, rating_max: int
) -> list[FollowUpReason]:
    """对事 "no" → not resolved; 对人 rating ≤ ``rating_max`` → unhappy with the service."""
    if kind != SurveyKind.POST_CONTACT:
        return []
    reasons = []
    for row in rows:
        if row.code == RESOLVED_CODE and "no" in row.choices:
            reasons.append(FollowUpReason.NOT_RESOLVED)
        if row.code == ATTITUDE_CODE and row.value is not None and row.value <= rating_max:
            reasons.append(FollowUpReason.UNHAPPY_WITH_SERVICE)
    return reasons


def _close_loop(response: Response, invitation: Invitation, rows: list[AnswerRow]) -> None:
    settings_row = SurveySettings.load()
    kind = invitation.survey_version.survey.kind
    reasons = unhappy_reasons(kind, rows, rating_max=settings_row.unhappy_rating_max)
    if not reasons:
        return
    labels = "; ".join(str(reason.label) for reason in reasons)
    FollowUp.objects.create(
        invitation=invitation,
        response=response,
        customer_id=invitation.customer_id,
        owner_id=invitation.follow_up_owner_id,
        reason=reasons[0],
        note=labels,
        complaint_id=invitation.complaint_id,
        interaction_id=invitation.interaction_id,
    )
    if invitation.complaint_id:
        reason = _("Post-contact survey: %(reasons)s") % {"reasons": labels}
        try:
            with transaction.atomic():  # a savepoint: a refusal there keeps the answers
                ports.reopen_complaint_for_recovery(
                    complaint_id=invitation.complaint_id, reason=reason
                )
        except Exception:  # the customer's answer is stored whatever the other side says
            log.exception("could not reopen complaint %s for recovery", invitation.complaint_id)


@transaction.atomic
def followup_complete(*, follow_up: FollowUp, by: Any, note: str = "") -> FollowUp:
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.status == FollowUpStatus.DONE:
        raise DomainError(_("This follow-up is already done."), code="conflict")
    locked.status = FollowUpStatus.DONE
    locked.done_at = now()
    locked.done_by = by
    if note.strip():
        locked.note = f"{locked.note}\n{note.strip()}".strip()
    locked.save(update_fields=["status", "done_at", "done_by", "note"])
    return locked
