"""API schemas of the surveys context (explicit fields, never ``__all__``)."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic.json_schema import SkipJsonSchema

from yuqi.core.api_types import JSON_NUMBER, SLUG_PATTERN, Flag, Id, Int, NoteText, Number
from yuqi.surveys.choices import (
    AllocationMethod,
    InvitationChannel,
    QuestionType,
    SampleSizeMode,
    StrataField,
    SurveyKind,
)

if TYPE_CHECKING:  # the checker sees text; the published schema sees the enum's values
    SurveyKindName = str
    QuestionTypeName = str
    SampleSizeModeName = str
    AllocationName = str
    StrataFieldName = str
    InvitationChannelName = str
else:
    SurveyKindName = Literal[tuple(SurveyKind.values)]
    QuestionTypeName = Literal[tuple(QuestionType.values)]
    SampleSizeModeName = Literal[tuple(SampleSizeMode.values)]
    AllocationName = Literal[tuple(AllocationMethod.values)]
    StrataFieldName = Literal[tuple(StrataField.values)]
    InvitationChannelName = Literal[tuple(InvitationChannel.values)]
ScalePoint = Annotated[int, Field(ge=-100, le=100)]
Label = Annotated[str, Field(max_length=60)]


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
    code: str = Field(..., min_length=1, max_length=60, pattern=SLUG_PATTERN)
    title: str = Field(..., min_length=1, max_length=200)
    title_en: str = Field("", max_length=200)
    kind: SurveyKindName = "custom"
    intro: NoteText = ""
    intro_en: NoteText = ""


class QuestionIn(Schema):
    code: str = Field(..., min_length=1, max_length=40, pattern=SLUG_PATTERN)
    type: QuestionTypeName
    text: NoteText
    text_en: NoteText = ""
    help: NoteText = ""
    help_en: NoteText = ""
    required: Flag = True
    scale_min: ScalePoint | None = None
    scale_max: ScalePoint | None = None
    label_low: Label = ""
    label_low_en: Label = ""
    label_high: Label = ""
    label_high_en: Label = ""
    dimension: str = Field("", max_length=40)
    feature: str = Field("", max_length=40)
    options: list[dict[str, Any]] = []


class QuestionPatch(Schema):
    type: QuestionTypeName | None = None
    text: NoteText | None = None
    text_en: NoteText | None = None
    help: NoteText | None = None
    help_en: NoteText | None = None
    required: Flag | SkipJsonSchema[None] = None  # NOT NULL: null is refused
    scale_min: ScalePoint | None = None
    scale_max: ScalePoint | None = None
    label_low: Label | None = None
    label_low_en: Label | None = None
    label_high: Label | None = None
    label_high_en: Label | None = None
    dimension: str | None = Field(None, max_length=40)
    feature: str | None = Field(None, max_length=40)
    options: list[dict[str, Any]] | None = None


class InstalledOut(Schema):
    installed: list[str]


class CampaignIn(Schema):
    code: str = Field(..., min_length=1, max_length=60, pattern=SLUG_PATTERN)
    name: str = Field("", max_length=200)
    survey: str = Field(
        ..., max_length=60, description="survey code; the campaign uses its current version"
    )
    population_filter: dict[str, Any] = Field(
        default_factory=dict,
        description="tiers, regions, segments (lists), contacted_within_days, complaints any|none",
    )
    strata_fields: list[StrataFieldName] = Field(
        default_factory=list, max_length=3, description="tier, region, segment"
    )
    sample_size_mode: SampleSizeModeName = "calculator"
    fixed_size: Annotated[int, Field(ge=1, le=1_000_000), JSON_NUMBER] | None = None
    margin: Number = Field(0.05, ge=1e-6, le=0.5, description="absolute, e.g. 0.05 for ±5 %")
    confidence: Number = Field(0.95, gt=0.5, le=0.999)
    expected_response_rate: Number = Field(0.3, gt=0, le=1)
    allocation: AllocationName = "proportional"
    min_per_stratum: Int = Field(0, ge=0, le=1_000_000)
    prior_sds: dict[str, Number] = Field(default_factory=dict)
    seed: Int = Field(20261129, ge=0, le=2**32 - 1)
    exclude_opted_out: Flag = True
    exclude_surveyed_days: Int = Field(90, ge=0, le=3660)
    reserve_share: Number = Field(0.0, ge=0, lt=1)
    channel: InvitationChannelName = "sms"
    expires_days: Int = Field(14, ge=1, le=366)
    notes: NoteText = ""


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
    recurrence: str = ""
    wave: int = 1
    first_wave: str | None = None
    next_wave_at: datetime | None = None


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
    invitation_id: Id
    answers: dict[str, Any] = Field(
        ...,
        description="question code → number, option code(s), text, "
        "{expectation, perception}, {functional, dysfunctional} or {dimension: points}",
    )


# --------------------------------------------------------------------------- waves


class WaveRecurrenceIn(Schema):
    """Make a campaign recurring: ``""`` (once), ``monthly`` or ``quarterly``."""

    recurrence: Literal["", "monthly", "quarterly"]
    first_due: datetime | None = None


class WaveListRowOut(Schema):
    code: str
    wave: int
    label: str
    state: str
    responses: int
    frame_changed: bool


class WavePointOut(Schema):
    wave: str
    n: int
    value: float | None
    ci_low: float | None
    ci_high: float | None


class WaveStepOut(Schema):
    before: str
    after: str
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    change: str
    comparable: bool
    significant: bool
    reason: str | None


class WaveMetricOut(Schema):
    metric: str
    points: list[WavePointOut]
    steps: list[WaveStepOut]


class KanoSlideOut(Schema):
    feature: str
    before: str
    after: str
    category_before: str | None
    category_after: str | None
    status: str
    flagged: bool


class WaveTrendOut(Schema):
    first_wave: str
    recurrence: str
    next_wave_at: datetime | None
    waves: list[WaveListRowOut]
    note: str | None
    frame_changes: list[str]
    metrics: list[WaveMetricOut]
    kano_slides: list[KanoSlideOut]
