"""The JSON shapes of the REST API, as pydantic models: they document /openapi.json."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from defcoop.ingest.report_ids import MAX_REPORT_ID, REPORT_ID_PATTERN, REPORT_ID_RULE
from defcoop.iso_dates import DAY_PATTERN, PARTIAL_FORMAT, PARTIAL_PATTERN

# A participant a correction names: some character other than a comma or a space.
_Participant = Annotated[str, Field(pattern=r"[^\s,]", max_length=200)]
# A date a correction sets, or "" to clear the field.
CLEARABLE_DATE = PARTIAL_PATTERN.replace("^(?:", "^(?:|", 1)


class ErrorOut(BaseModel):
    """Why a request was refused, in one line."""

    detail: str = Field(description="what was wrong, naming the parameter or field")


class LocationOut(BaseModel):
    """Where an event took place."""

    name: str | None = Field(None, description="place name, or null for a country alone")
    country: str | None = Field(None, description="ISO 3166-1 alpha-3 code")
    lat: float | None = None
    lon: float | None = None


class EventOut(BaseModel):
    """A canonical event: its fields reconciled from every report that mentions it."""

    event_id: str = Field(description="stable id; merged-away ids still resolve to it")
    type: str = Field(description="exercise, training, agreement, meeting or transfer")
    name: str | None = Field(None, description="the event's own name, when it has one")
    participants: list[str] = Field(description="ISO3 country codes or alliance acronyms")
    location: LocationOut | None = None
    start: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    end: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    status: str | None = Field(None, description="planned, ongoing or completed")
    reports: int = Field(description="how many reports mention the event")
    first_report: str | None = Field(None, description="publication date of the first report")
    last_report: str | None = Field(None, description="publication date of the latest report")
    series: str | None = Field(None, description="key of the series it is an edition of")
    status_as_of: str | None = Field(
        None, description="publication date of the report the status is from"
    )
    conflicts: list[str] = Field(
        default_factory=list, description="the fields its mentions disagree on"
    )


class EventList(BaseModel):
    """One page of events and how many the filters find in all."""

    items: list[EventOut]
    total: int = Field(description="events matching the filters, all pages together")
    total_is_estimate: bool = Field(
        description="whether `total` is estimated: only above 1000 matches, for filters"
        " the summaries do not count (a dyad, a place, words, a day, conflicts, a series)"
    )
    next_cursor: str | None = Field(
        description="give it as `cursor` for the next page; null on the last page"
    )


class EvidenceOut(BaseModel):
    """A sentence stating the event, with its character offsets in the report text."""

    text: str
    start: int
    end: int


class MentionOut(BaseModel):
    """One report's statement of the event."""

    mention_id: int
    report: str = Field(description="the report's id")
    published: str | None = None
    background: bool = Field(description="restated background, dated by its first report")
    start: str | None = None
    end: str | None = None
    evidence: list[EvidenceOut]


class HistoryOut(BaseModel):
    """One entry of the analysts' log: who changed what, when and why."""

    id: int
    event_id: str
    action: str = Field(description="set, merge or split")
    payload: dict[str, Any]
    who: str
    at: str
    why: str


class ConflictValueOut(BaseModel):
    """One of the values mentions give for a field they disagree on."""

    value: Any = Field(description="the value (a place by its name, participants joined)")
    mentions: list[str] = Field(description='the mentions giving it, "mention:ID"')


class SetAsideOut(BaseModel):
    """A value of a mention that reconciliation left out, and why."""

    field: str
    value: str
    mention: str
    reason: str


class EventDetail(EventOut):
    """An event with its sources: each field's provenance, its mentions, its history."""

    conflicts: dict[str, list[ConflictValueOut]] = Field(  # type: ignore[assignment]
        default_factory=dict, description="field -> the values mentions disagree on"
    )
    set_aside: list[SetAsideOut] = Field(default_factory=list)
    status_note: str | None = Field(
        None, description="the status as of its report; says when its dates passed unreported"
    )
    mention_count: int
    support: dict[str, int] = Field(description="how many mentions name each participant")
    provenance: dict[str, str] = Field(
        description='field -> "mention:ID" it came from, or "correction:ID"'
    )
    mentions: list[MentionOut]
    history: list[HistoryOut]


class ReportMentionOut(BaseModel):
    """A mention extracted from a report, and the event it belongs to."""

    mention_id: int
    event_id: str | None
    type: str
    name: str | None
    evidence: list[EvidenceOut]


class ReportOut(BaseModel):
    """A stored report, its text and what was extracted from it."""

    id: str
    published: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    language: str
    text: str
    mentions: list[ReportMentionOut]


class ReportIn(BaseModel):
    """A report in the input JSON format (see README, Input formats)."""

    model_config = ConfigDict(extra="allow")

    id: Annotated[str, Field(pattern=REPORT_ID_PATTERN, max_length=MAX_REPORT_ID)] | int | None = (
        Field(None, description=f"default: derived from the content; {REPORT_ID_RULE}")
    )
    published: str = Field(
        description="publication date, YYYY-MM-DD (ASCII digits)", pattern=DAY_PATTERN
    )
    text: str = Field(description="the report's text", pattern=r"\S")
    source: str | None = None
    url: str | None = None
    title: str | None = None
    author: str | None = None
    language: str | None = None
    # strict: JSON true or false only, not 0 or "yes" (the schema's boolean)
    replace: bool = Field(
        False,
        strict=True,
        description="replace a stored report of the same id and other content"
        " (without it that is a 409)",
    )


class IngestOut(BaseModel):
    """What ingesting a report did."""

    report_id: str = Field(description="the id the report is stored under")
    stored: bool = Field(
        description="false when the same report was already stored (maybe under another id,"
        " which report_id then gives)"
    )
    mentions: int
    events: list[str] = Field(description="the events its mentions belong to")


class WriteIn(BaseModel):
    """What every write carries: why it is right, and optionally who makes it."""

    why: str = Field(min_length=1, max_length=2000, description="kept in the log")
    who: str | None = Field(
        None, max_length=100, description="default: the X-Defcoop-User header or the token holder"
    )


class FieldValues(BaseModel):
    """The fields a correction sets; an empty value (or null) clears a field."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    # type and participants can be changed, not cleared: absent by default, never null
    type: Literal["exercise", "training", "agreement", "meeting", "transfer"] = Field(
        None  # type: ignore[arg-type]
    )
    name: str | None = Field(None, max_length=500)
    participants: Annotated[list[_Participant], Field(min_length=1)] | _Participant = Field(
        None,  # type: ignore[assignment]
        description="codes or names: a list, or one comma-separated string",
    )
    location: str | None = Field(
        None, max_length=200, description="a gazetteer place or an ISO3 country code"
    )
    start: str | None = Field(None, pattern=CLEARABLE_DATE, description=PARTIAL_FORMAT)
    end: str | None = Field(None, pattern=CLEARABLE_DATE, description=PARTIAL_FORMAT)
    status: Literal["planned", "ongoing", "completed", ""] | None = None

    @model_validator(mode="after")
    def _some_field(self) -> FieldValues:
        """At least one field is named."""
        if not self.model_fields_set:
            raise ValueError("name at least one field to set")
        return self


# The fields a correction can set or revert (resolve.events.CORRECTABLE, checked by a test).
CorrectableField = Literal["type", "name", "participants", "location", "start", "end", "status"]


class CorrectionIn(WriteIn):
    """Field values an analyst sets; they win over the machine's from then on.

    It sets some fields or reverts some (or both): a body doing neither does not fit
    the schema, so it is refused with 422 like any other malformed body.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": ["set"], "properties": {"set": {"type": "object"}}},
                {"required": ["revert"], "properties": {"revert": {"minItems": 1}}},
            ]
        }
    )

    set: FieldValues | None = Field(
        None,
        description="type, name, participants (codes or names), location (a gazetteer place"
        " or an ISO3 code), start, end, status; an empty value clears a field",
    )
    revert: list[CorrectableField] = Field(
        default_factory=list,
        max_length=10,
        description="fields to return to the machine's values (each must hold an analyst's)",
    )

    @model_validator(mode="after")
    def _sets_or_reverts(self) -> CorrectionIn:
        """Something to change: the schema's anyOf, checked."""
        if self.set is None and not self.revert:
            raise ValueError("nothing to change: give set {FIELD: VALUE} or revert [FIELD]")
        return self


class MergeIn(WriteIn):
    """Events to merge into the one in the path."""

    events: list[str] = Field(min_length=1, max_length=100)


class SplitIn(WriteIn):
    """Mentions to move out of the event in the path, into a new event."""

    mentions: list[Annotated[int, Field(ge=1)]] = Field(min_length=1, max_length=1000)


class WriteOut(BaseModel):
    """The event a write leaves: the corrected, merged-into or newly split event."""

    event_id: str


class PeriodCount(BaseModel):
    """Events of one type in one year (YYYY) or month (YYYY-MM)."""

    period: str
    type: str
    count: int


class DyadCount(BaseModel):
    """Events in which both participants take part (a < b)."""

    a: str
    b: str
    count: int


class PlaceCount(BaseModel):
    """Events at one place."""

    name: str | None
    country: str | None
    lat: float | None
    lon: float | None
    count: int


class EventPoint(BaseModel):
    """An event at a geocoded place, for a map."""

    event_id: str
    type: str
    name: str | None
    start: str | None
    place: str | None
    lat: float
    lon: float
