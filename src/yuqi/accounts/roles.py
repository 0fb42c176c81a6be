"""The five roles and what each may do: the single source for groups, docs and tests.

A role is a Django group whose permissions are set from ``ROLE_PERMISSIONS`` after every
migration (``sync_roles``), so the table below is the truth and the database follows it.
Later bounded contexts add their permissions here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    name: str
    label: object  # lazy translation
    description: object


ROLES: tuple[Role, ...] = (
    Role("agent", _("Agent"), _("Answers customers, logs contacts, complaints and promises.")),
    Role(
        "supervisor",
        _("Supervisor"),
        _("Works complaint tickets, recovery and callbacks; watches the team."),
    ),
    Role(
        "analyst",
        _("Analyst"),
        _("Runs surveys, mines complaints, benchmarks peers, grades expectations."),
    ),
    Role(
        "manager",
        _("Manager"),
        _("Sets service standards and tiers, staffing; reads dashboards and the audit log."),
    ),
    Role("admin", _("Administrator"), _("Manages users, roles, API keys and settings.")),
)
ROLE_NAMES = tuple(role.name for role in ROLES)

_SEE_COLLEAGUES = {"accounts.view_user"}
_READ_AUDIT = {"auditlog.view_logentry"}
_SEE_CONTACTS = {"customers.view_customer", "interactions.view_interaction"}
_LOG_CONTACTS = {"interactions.add_interaction"}
# an agent records a caller the screen pop did not find (customers:new)
_LOG_CONTACTS |= {"customers.add_customer"}
_SEE_PERSONAL_DATA = {"customers.view_personal_data"}
_EDIT_CONTACTS = {"customers.change_customer", "interactions.change_interaction"}
_IMPORT = {
    "imports.view_importrun",
    "imports.add_importrun",
    "customers.add_customer",
    "interactions.add_interaction",
}
_CONFIGURE_SERVICE = {
    "customers.add_tier",
    "customers.change_tier",
    "interactions.change_queue",
    "operations.change_scorecardmeasure",
    "operations.change_pyramidsettings",
}
_SEE_OPERATIONS = {"operations.view_operations"}
_PLAN_STAFF = {"operations.view_staffing"}
_REFRESH_SEGMENTS = {"operations.refresh_segments"}
_ADMINISTER = {
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_apikey",
    "accounts.add_apikey",
    "accounts.change_apikey",
    "core.view_system_status",
}

# Complaints, commitments, calendars, notifications, surveys. Each set is owned by its context
# and holds "app.codename" labels of permissions its models declare.
_SEE_COMPLAINTS: set[str] = set()  # read tickets, timeline, work queue (everyone)
_LOG_COMPLAINTS: set[str] = set()  # open a ticket, record a promise (front line)
_WORK_COMPLAINTS: set[str] = set()  # transitions, recovery, agreement, callback, promise status
_APPROVE: set[str] = set()  # approve flagged promises and compensation beyond authority
_SEE_SERVICE_MEASURES: set[str] = set()  # complaint/promise measures, message log, calendars
# levels, categories, SLA policies, service standards, calendars:
_CONFIGURE_COMPLAINTS: set[str] = set()
_SEE_SURVEYS: set[str] = {  # surveys, campaigns and their analysis
    "surveys.view_survey",
    "surveys.view_campaign",
    "surveys.view_results",
}
_RUN_SURVEYS: set[str] = {  # design surveys, run campaigns, export answers
    "surveys.add_survey",
    "surveys.change_survey",
    "surveys.add_campaign",
    "surveys.change_campaign",
    "surveys.export_answers",
}
_ENTER_SURVEY_ANSWERS: set[str] = {"surveys.enter_answers"}  # outbound call lists
_FOLLOW_UP_SURVEYS: set[str] = {"surveys.change_followup"}  # recovery follow-ups of unhappy answers

# commitments (the promise ledger): the agent who promised also marks it fulfilled.
_SEE_COMPLAINTS |= {"commitments.view_commitment"}
_LOG_COMPLAINTS |= {"commitments.add_commitment", "commitments.change_commitment"}
_WORK_COMPLAINTS |= {"commitments.change_commitment"}
_APPROVE |= {"commitments.approve_commitment"}
_CONFIGURE_COMPLAINTS |= {
    "commitments.change_servicestandard",
    "commitments.add_servicestandard",
    "commitments.change_promiseauthority",
    "commitments.add_promiseauthority",
    "commitments.change_perk",
    "commitments.add_perk",
}

# calendars and notifications: managers edit calendars; measures readers see them and the
# message log.
_SEE_SERVICE_MEASURES |= {"calendars.view_businesscalendar", "notifications.view_outboundmessage"}
# the e-mail intake's runs and messages (mailbox); the SMS gateways' template codes
_SEE_SERVICE_MEASURES |= {"mailbox.view_mailboxrun"}
_CONFIGURE_SERVICE |= {
    "notifications.view_smstemplate",
    "notifications.add_smstemplate",
    "notifications.change_smstemplate",
}
_CONFIGURE_COMPLAINTS |= {
    f"calendars.{action}_{model}"
    for action in ("view", "add", "change", "delete")
    for model in (
        "businesscalendar",
        "workingperiod",
        "calendardate",
        "enteredyear",
        "teamcalendar",
    )
}

# insights (peer benchmarking; later the expectation register and evaluation runs).
_SEE_INSIGHTS: set[str] = {"insights.view_insights"}
_RUN_INSIGHTS: set[str] = {  # import peer data and offerings, set indicator targets
    "insights.add_peercentre",
    "insights.change_peercentre",
    "insights.add_peerindicatorvalue",
    "insights.change_peerindicatorvalue",
    "insights.add_offering",
    "insights.change_offering",
    "insights.add_peeroffering",
    "insights.change_peeroffering",
    "insights.add_ouroffering",
    "insights.change_ouroffering",
    "insights.add_indicatortarget",
    "insights.change_indicatortarget",
    # the expectation register, grading decisions, guidance and evaluation runs
    *(
        f"insights.{action}_{model}"
        for action in ("add", "change")
        for model in (
            "expectation",
            "evidence",
            "guidanceplan",
            "expectationhistory",
            "scoringsettings",
            "evaluationrun",
        )
    ),
    "insights.add_gradedecision",
    "insights.decide_grade",
}
# known expectations and C-grade guidance on the 360 and complaint pages: everyone
_SEE_EXPECTATIONS: set[str] = {"insights.view_expectations"}

# complaints context (tickets, levels, categories, root causes, SLA policies):
_SEE_COMPLAINTS |= {"complaints.view_complaint"}
_LOG_COMPLAINTS |= {"complaints.add_complaint"}
_WORK_COMPLAINTS |= {"complaints.change_complaint"}
_APPROVE |= {"complaints.approve_compensation"}
_SEE_SERVICE_MEASURES |= {"complaints.view_complaint_measures"}
_CONFIGURE_COMPLAINTS |= {
    f"complaints.{action}_{model}"
    for action in ("add", "change")
    for model in (
        "complaintlevel",
        "complaintcategory",
        "rootcause",
        "slapolicy",
        "playbook",
        "playbookstep",
    )
}

# text mining: analyses seen by supervisors up; handlers (supervisors) confirm/correct labels
# and mark complaints unreasonable; analysts and managers also retrain and run themes.
_SEE_TEXT: set[str] = {"textmining.view_complaintanalysis"}
_LABEL_TEXT: set[str] = {"textmining.add_complaintlabel", "textmining.change_complaintanalysis"}
_RUN_TEXT: set[str] = {
    "textmining.add_textmodel",
    "textmining.change_complaintanalysis",
    "textmining.add_complaintlabel",
    "textmining.add_themerun",
}

# quality monitoring (质检): agents see and answer their own evaluations; supervisors and
# managers evaluate, review disputes, run calibration and coach; analysts read the pages and
# log peer test calls; managers and admins edit forms, phrases and settings.
_OWN_QA: set[str] = {"quality.view_own_evaluations"}
_SEE_QA: set[str] = {"quality.view_quality"}
_EVALUATE: set[str] = {
    "quality.evaluate",
    "quality.add_coachingnote",
    "quality.add_trainingrecord",
    "quality.add_mysterytask",
    "quality.add_peertestcall",
}
_LOG_PEER_CALLS: set[str] = {"quality.add_peertestcall", "quality.add_mysterytask"}
_CONFIGURE_QA: set[str] = {"quality.configure_quality", "quality.add_trainingrecord"}
# workforce (排班): agents see their published schedule and ask for time off and swaps;
# supervisors approve requests; managers plan, publish and export rosters, import agent states.
_OWN_SCHEDULE: set[str] = {
    "workforce.view_own_schedule",
    "workforce.add_timeoffrequest",
    "workforce.add_swaprequest",
}
_DECIDE_REQUESTS: set[str] = {"workforce.decide_request", "workforce.view_roster"}
_PLAN_ROSTERS: set[str] = {
    "workforce.plan_roster",
    "workforce.view_roster",
    "workforce.add_agentstaterow",
}

# privacy: the manager acts as privacy officer (requests, identity checks, exports, erasure,
# consent); the admin too.
_HANDLE_PRIVACY: set[str] = {
    "privacy.view_privacyrequest",
    "privacy.add_privacyrequest",
    "privacy.change_privacyrequest",
    "privacy.erase_personal_data",
    "privacy.view_consententry",
    "privacy.add_consententry",
}
# customer channels: supervisors and managers send proactive notices (the tier guard holds
# a text naming a perk above part of the audience unless they give a reason) and read what
# customers filed on the public form, attachments included.
_SEND_NOTICES: set[str] = {"channels.send_notice", "channels.view_notice"}
_SEE_SUBMISSIONS: set[str] = {"channels.view_intakesubmission", "channels.view_attachment"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "agent": frozenset(
        _SEE_EXPECTATIONS
        | _SEE_COMPLAINTS
        | _LOG_COMPLAINTS
        | _ENTER_SURVEY_ANSWERS
        | _SEE_CONTACTS
        | _LOG_CONTACTS
        | _OWN_QA
        | _OWN_SCHEDULE
    ),
    "supervisor": frozenset(
        _SEE_EXPECTATIONS
        | _SEE_COMPLAINTS
        | _SEE_INSIGHTS
        | _LOG_COMPLAINTS
        | _WORK_COMPLAINTS
        | _APPROVE
        | _SEE_SERVICE_MEASURES
        | _SEE_SURVEYS
        | _ENTER_SURVEY_ANSWERS
        | _FOLLOW_UP_SURVEYS
        | _SEE_COLLEAGUES
        | _SEE_CONTACTS
        | _LOG_CONTACTS
        | _SEE_PERSONAL_DATA
        | _EDIT_CONTACTS
        | _SEE_OPERATIONS
        | _PLAN_STAFF
        | _SEE_TEXT
        | _LABEL_TEXT
        | _OWN_QA
        | _SEE_QA
        | _EVALUATE
        | _OWN_SCHEDULE
        | _DECIDE_REQUESTS
        | _SEND_NOTICES
        | _SEE_SUBMISSIONS
    ),
    "analyst": frozenset(
        _SEE_EXPECTATIONS
        | _SEE_COMPLAINTS
        | _SEE_INSIGHTS
        | _RUN_INSIGHTS
        | _SEE_SERVICE_MEASURES
        | _SEE_SURVEYS
        | _RUN_SURVEYS
        | _SEE_CONTACTS
        | {"imports.view_importrun"}
        | _SEE_OPERATIONS
        | _SEE_TEXT
        | _RUN_TEXT
        | _SEE_QA
        | _LOG_PEER_CALLS
    ),
    "manager": frozenset(
        _SEE_EXPECTATIONS
        | _SEE_COMPLAINTS
        | _SEE_INSIGHTS
        | _RUN_INSIGHTS
        | _LOG_COMPLAINTS
        | _WORK_COMPLAINTS
        | _APPROVE
        | _SEE_SERVICE_MEASURES
        | _CONFIGURE_COMPLAINTS
        | _SEE_SURVEYS
        | _RUN_SURVEYS
        | _FOLLOW_UP_SURVEYS
        | _SEE_COLLEAGUES
        | _READ_AUDIT
        | _SEE_CONTACTS
        | _SEE_PERSONAL_DATA
        | _EDIT_CONTACTS
        | _IMPORT
        | _CONFIGURE_SERVICE
        | _SEE_OPERATIONS
        | _PLAN_STAFF
        | _REFRESH_SEGMENTS
        | _SEE_TEXT
        | _RUN_TEXT
        | _SEE_QA
        | _EVALUATE
        | _CONFIGURE_QA
        | _DECIDE_REQUESTS
        | _PLAN_ROSTERS
        | _HANDLE_PRIVACY
        | _SEND_NOTICES
        | _SEE_SUBMISSIONS
    ),
    "admin": frozenset(
        _SEE_EXPECTATIONS
        | _SEE_COMPLAINTS
        | _SEE_INSIGHTS
        | _RUN_INSIGHTS
        | _LOG_COMPLAINTS
        | _WORK_COMPLAINTS
        | _APPROVE
        | _SEE_SERVICE_MEASURES
        | _CONFIGURE_COMPLAINTS
        | _SEE_SURVEYS
        | _RUN_SURVEYS
        | _FOLLOW_UP_SURVEYS
        | _SEE_COLLEAGUES
        | _READ_AUDIT
        | _SEE_CONTACTS
        | _LOG_CONTACTS
        | _SEE_PERSONAL_DATA
        | _EDIT_CONTACTS
        | _IMPORT
        | _CONFIGURE_SERVICE
        | _ADMINISTER
        | _SEE_OPERATIONS
        | _PLAN_STAFF
        | _REFRESH_SEGMENTS
        | _SEE_TEXT
        | _RUN_TEXT
        | _SEE_QA
        | _CONFIGURE_QA
        | _DECIDE_REQUESTS
        | _PLAN_ROSTERS
        | _HANDLE_PRIVACY
        | _SEND_NOTICES
        | _SEE_SUBMISSIONS
    ),
}

# knowledge (articles, 口径, scripts): every role reads and rates articles; supervisors,
# analysts and managers write drafts; supervisors and managers approve (a policy wording by a
# second person) and see the knowledge health pages; analysts see them too.
_READ_KNOWLEDGE = {"knowledge.view_article"}
_WRITE_KNOWLEDGE = {
    "knowledge.add_article",
    "knowledge.change_article",
    "knowledge.view_category",
    "knowledge.view_synonymgroup",
}
_PUBLISH_KNOWLEDGE = {
    "knowledge.publish_article",
    "knowledge.add_category",
    "knowledge.change_category",
    "knowledge.add_synonymgroup",
    "knowledge.change_synonymgroup",
}
_KNOWLEDGE_HEALTH = {"knowledge.view_knowledge_health"}
_KNOWLEDGE_BY_ROLE = {
    "agent": _READ_KNOWLEDGE,
    "supervisor": _READ_KNOWLEDGE | _WRITE_KNOWLEDGE | _PUBLISH_KNOWLEDGE | _KNOWLEDGE_HEALTH,
    "analyst": _READ_KNOWLEDGE | _WRITE_KNOWLEDGE | _KNOWLEDGE_HEALTH,
    "manager": _READ_KNOWLEDGE | _WRITE_KNOWLEDGE | _PUBLISH_KNOWLEDGE | _KNOWLEDGE_HEALTH,
    "admin": _READ_KNOWLEDGE | _WRITE_KNOWLEDGE | _PUBLISH_KNOWLEDGE | _KNOWLEDGE_HEALTH,
}
for _role, _permissions in _KNOWLEDGE_BY_ROLE.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_permissions)

# improvement actions (PDCA): supervisors, analysts and managers read the board and the
# Pareto charts, create actions and move them; analysts and managers run the before/after
# check and close them (effective or no effect).
_SEE_IMPROVEMENT = {"improvement.view_improvementaction"}
_RUN_IMPROVEMENT = {"improvement.add_improvementaction", "improvement.change_improvementaction"}
_VERIFY_IMPROVEMENT = {"improvement.verify_action"}
_IMPROVEMENT_BY_ROLE = {
    "supervisor": _SEE_IMPROVEMENT | _RUN_IMPROVEMENT,
    "analyst": _SEE_IMPROVEMENT | _RUN_IMPROVEMENT | _VERIFY_IMPROVEMENT,
    "manager": _SEE_IMPROVEMENT | _RUN_IMPROVEMENT | _VERIFY_IMPROVEMENT,
    "admin": _SEE_IMPROVEMENT | _RUN_IMPROVEMENT | _VERIFY_IMPROVEMENT,
}
for _role, _permissions in _IMPROVEMENT_BY_ROLE.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | frozenset(_permissions)
