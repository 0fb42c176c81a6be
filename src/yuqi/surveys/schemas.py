"""API schemas of the surveys context (explicit fields, never ``__all__``)."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class QuestionOut(Schema):
    code: str
    order: int
    type: str
    text: str
    text_en: str
    help: str
    help_en: str
    required: bool
    scale_min: int | None
    scale_max: int | None
    label_low: str
    label_low_en: str
    label_high: str
    label_high_en: str
    dimension: str
    feature: str
    options: list[dict[str, Any]]


class SurveyOut(Schema):
    code: str
    title: str
    title_en: str
    kind: str
    current_version: int | None
    archived: bool


class SurveyDetailOut(SurveyOut):
    intro: str
    intro_en: str
    versions: list[int]
    questions: list[QuestionOut]


class SurveyIn(Schema):
    code: str = Field(..., min_length=1, max_length=60)
    title: str = Field(..., min_length=1, max_length=200)
    title_en: str = ""
    kind: str = "custom"
    intro: str = ""
    intro_en: str = ""


class QuestionIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    type: str
    text: str
    text_en: str = ""
    help: str = ""
    help_en: str = ""
    required: bool = True
    scale_min: int | None = None
    scale_max: int | None = None
    label_low: str = ""
    label_low_en: str = ""
    label_high: str = ""
    label_high_en: str = ""
    dimension: str = ""
    feature: str = ""
    options: list[dict[str, Any]] = []


class QuestionPatch(Schema):
    type: str | None = None
    text: str | None = None
    text_en: str | None = None
    help: str | None = None
    help_en: str | None = None
    required: bool | None = None
    scale_min: int | None = None
    scale_max: int | None = None
    label_low: str | None = None
    label_low_en: str | None = None
    label_high: str | None = None
    label_high_en: str | None = None
    dimension: str | None = None
    feature: str | None = None
    options: list[dict[str, Any]] | None = None


class InstalledOut(Schema):
    installed: list[str]


class CampaignIn(Schema):
    code: str = Field(..., min_length=1, max_length=60)
    name: str = ""
    survey: str = Field(..., description="survey code; the campaign uses its current version")
    population_filter: dict[str, Any] = Field(
        default_factory=dict,
        description="tiers, regions, segments (lists), contacted_within_days, complaints any|none",
    )
    strata_fields: list[str] = Field(default_factory=list, description="tier, region, segment")
    sample_size_mode: str = "calculator"
    fixed_size: int | None = None
    margin: float = 0.05
    confidence: float = 0.95
    expected_response_rate: float = 0.3
    allocation: str = "proportional"
    min_per_stratum: int = 0
    prior_sds: dict[str, float] = Field(default_factory=dict)
    seed: int = 20261129
    exclude_opted_out: bool = True
    exclude_surveyed_days: int = 90
    reserve_share: float = 0.0
    channel: str = "sms"
    expires_days: int = 14
    notes: str = ""


class CampaignOut(Schema):
    id: int
    code: str
    name: str
    survey: str
    survey_version: int
    state: str
    channel: str
    strata_fields: list[str]
    population_filter: dict[str, Any]
    sample_size_mode: str
    allocation: str
    seed: int
    population_size: int
    excluded_count: int
    target_completes: int
    target_invitations: int
    created_at: datetime
    sampled_at: datetime | None
    sent_at: datetime | None


class DrawOut(Schema):
    population: int
    eligible: int
    excluded: int
    completes_needed: int
    invitations: int
    reserve: int
    strata: int
    notes: list[str]


class CountOut(Schema):
    count: int


class StratumOut(Schema):
    key: str
    values: dict[str, str]
    population: int
    eligible: int
    sample: int
    reserve: int
    sent: int
    responded: int
    rate: float | None


class CellOut(Schema):
    key: str
    observed: int
    expected: float
    population_share: float
    responder_share: float


class RepresentativenessOut(Schema):
    statistic: float | None
    p_value: float | None
    dof: int
    responders: int
    representative: bool | None
    expected_small: bool
    cells: list[CellOut]


class StrataOut(Schema):
    strata: list[StratumOut]
    representativeness: RepresentativenessOut


class AnswerOut(Schema):
    question: str
    part: str
    value: float | None
    text: str
    choices: list[str]


class ResponseOut(Schema):
    id: int
    survey: str
    survey_version: int
    campaign: str | None
    invitation_id: int | None
    stratum_key: str
    weight: float
    tier_code: str
    region: str
    segment: str
    queue_code: str
    channel: str
    complaint_id: int | None
    interaction_id: int | None
    submitted_at: datetime
    answers: list[AnswerOut]


class ResponseFilterIn(Schema):
    survey: str = ""
    campaign: str = ""
    channel: str = ""


class ResponseIn(Schema):
    invitation_id: int
    answers: dict[str, Any] = Field(
        ...,
        description="question code → number, option code(s), text, "
        "{expectation, perception}, {functional, dysfunctional} or {dimension: points}",
    )
