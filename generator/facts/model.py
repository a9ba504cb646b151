"""The facts model: typed, frozen records of a dossier, its sources and the shared registries."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.errors import ValueProblem
from generator.facts.values import DEFAULT_LANGUAGES, Amount, FuzzyDate, Text


def languages(info: ValidationInfo) -> tuple[str, ...]:
    """The brief's languages, given to validation as its context (default kk, ru, en)."""
    context = info.context if isinstance(info.context, dict) else {}
    return tuple(context.get("languages") or DEFAULT_LANGUAGES)


def _via(parse: Callable[[Any], Any]) -> BeforeValidator:
    def convert(value: Any) -> Any:
        try:
            return parse(value)
        except ValueProblem as exc:
            raise PydanticCustomError("value", str(exc)) from None

    return BeforeValidator(convert)


def _via_languages(parse: Callable[[Any, tuple[str, ...]], Any]) -> BeforeValidator:
    def convert(value: Any, info: ValidationInfo) -> Any:
        try:
            return parse(value, languages(info))
        except ValueProblem as exc:
            raise PydanticCustomError("value", str(exc)) from None

    return BeforeValidator(convert)


TextField = Annotated[Text, _via_languages(Text.parse)]
DateField = Annotated[FuzzyDate, _via_languages(FuzzyDate.parse)]
AmountField = Annotated[Amount, _via(Amount.parse)]
SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


@functools.cache
def country_names() -> dict[str, str]:
    """The countries CLDR knows, by ISO 3166 code, with their English names.

    >>> country_names()["TR"]
    'Türkiye'
    """
    from babel import Locale

    territories = Locale("en").territories
    return {code: name for code, name in territories.items() if code.isalpha() and code != "ZZ"}


def _known_country(code: str) -> str:
    if code not in country_names():
        raise PydanticCustomError(
            "value",
            "'{code}' is not a country code CLDR knows; a country is its ISO 3166 code, "
            "e.g. KZ, TR, UZ",
            {"code": code},
        )
    return code


CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$"), AfterValidator(_known_country)]


class Model(BaseModel):
    """Base of every record: frozen, no unknown keys, arbitrary value types allowed."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Cited(Model):
    """A fact with its source (an id in sources/) and, optionally, where in the source."""

    source: SourceId
    locator: str | None = None


# ---- sources -----------------------------------------------------------------------------

SourceKind = Literal[
    "joint_statement",
    "press_release",
    "news",
    "article",
    "treaty",
    "statistics",
    "speech",
    "report",
    "website",
]


class Source(Model):
    """A bibliographic record of one source document (the text itself is not kept)."""

    id: SourceId
    title: TextField
    original_title: str | None = None
    language: Literal["kk", "ru", "en", "tr", "az", "tg", "uz", "ky"]
    kind: SourceKind
    publisher: TextField | None = None
    date: DateField | None = None
    authors: list[str] = []
    published_in: TextField | None = None
    pages: str | None = None
    issn: str | None = None
    url: str | None = None
    note: TextField | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise PydanticCustomError("value", "must be a web address starting with https://")
        return value


# ---- registries --------------------------------------------------------------------------


class Office(Cited):
    """An office a person holds or held."""

    title: TextField
    country: CountryCode | None = None
    start: DateField | None = Field(None, alias="from")
    end: DateField | None = Field(None, alias="to")
    former: bool = False  # no longer held, though the sources give no end date

    @property
    def current(self) -> bool:
        """Whether the person holds this office now, as far as the facts say."""
        return self.end is None and not self.former


class Protocol(Model):
    """How protocol names a person: in full on first mention, in short after."""

    full: TextField  # "President of Kazakhstan Kassym-Jomart Tokayev"
    short: TextField  # "President Tokayev"


class Person(Model):
    """A person who recurs across dossiers."""

    id: SourceId
    name: TextField
    protocol: Protocol | None = None
    offices: list[Office] = []


class Organisation(Model):
    """An international organisation (OTS, CICA, UN, ...)."""

    id: SourceId
    name: TextField
    abbr: TextField | None = None


class PeopleFile(Model):
    people: list[Person]


class OrganisationsFile(Model):
    organisations: list[Organisation]


# ---- dossier -----------------------------------------------------------------------------


class Fact(Cited):
    """A statement of fact in each language, optionally dated."""

    text: TextField
    date: DateField | None = None


class KeyDate(Cited):
    """A milestone of the relations: recognition, diplomatic relations, an embassy, a treaty."""

    kind: Literal["recognition", "diplomatic_relations", "embassy", "treaty", "status", "other"]
    date: DateField
    text: TextField


class Session(Cited):
    """One meeting of a mechanism, numbered where the source numbers it."""

    number: int | None = Field(None, gt=0)
    date: DateField | None = None  # left out when the sources do not date it
    place: TextField | None = None
    text: TextField | None = None


class Mechanism(Cited):
    """A standing body of the relations (council, commission, planning group)."""

    id: SourceId
    name: TextField
    abbr: TextField | None = None
    level: TextField | None = None
    established: DateField | None = None
    sessions: list[Session] = []

    def latest(self) -> Session | None:
        """The most recent session: the highest number where sessions are numbered (a session
        the sources do not date still counts), else the latest date."""
        if not self.sessions:
            return None
        if any(s.number for s in self.sessions):
            return max(self.sessions, key=lambda s: s.number or 0)
        dated = [(s.date.sort_key(), s) for s in self.sessions if s.date is not None]
        return max(dated, key=lambda item: item[0])[1] if dated else self.sessions[-1]


class Agreement(Cited):
    """A treaty, agreement or document signed, adopted, or agreed to be prepared."""

    title: TextField
    status: Literal["signed", "adopted", "planned"] = "signed"
    date: DateField | None = None
    place: TextField | None = None
    text: TextField | None = None


class Visit(Cited):
    """A high-level visit, talks or meeting: who, where, when, at what level."""

    date: DateField
    level: Literal[
        "state_visit",
        "official_visit",
        "working_visit",
        "talks",
        "meeting",
        "summit",
        "phone_call",
    ]
    title: TextField
    place: TextField | None = None
    participants: list[SourceId] = []
    text: TextField | None = None


TRADE_FIGURES = ("turnover", "exports", "imports")  # the figures of a year of trade


class TradeAlternative(Cited):
    """A value another source (or passage) gives for the same year."""

    turnover: AmountField | None = None
    exports: AmountField | None = None
    imports: AmountField | None = None
    note: TextField | None = None


class TradeYear(Cited):
    """Trade of the pair in one year; exports and imports are from the first country's side."""

    year: int = Field(ge=1991, le=2100)
    # the year as a date when the analyst worked it out or the source words it relatively:
    # written `year: {value: 2025, inferred: true, note: {...}}` or `{value: 2025, written: …}`
    year_date: DateField | None = Field(None, json_schema_extra={"written_as": "year"})
    turnover: AmountField | None = None
    exports: AmountField | None = None
    imports: AmountField | None = None
    partial: TextField | None = None  # e.g. "January–September"
    note: TextField | None = None
    alternatives: list[TradeAlternative] = []

    @model_validator(mode="before")
    @classmethod
    def _year_with_details(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("year"), dict):
            details = data["year"]
            if "year_date" in data:
                raise PydanticCustomError("value", "give the year's details under 'year:' only")
            value = details.get("value")
            if isinstance(value, bool) or not isinstance(value, int):
                raise PydanticCustomError(
                    "value",
                    "a year with details is {value: 2025, inferred: true, note: {...}} or "
                    "{value: 2025, written: ...}, with the year as a number",
                )
            data = {**data, "year": value, "year_date": details}
        return data

    @field_validator("turnover", "exports", "imports")
    @classmethod
    def _not_negative(cls, value: Amount | None) -> Amount | None:
        if value is not None and value.value < 0:
            raise PydanticCustomError(
                "value",
                "a trade figure cannot be negative (got {got}); a deficit is "
                "exports minus imports, computed by the generator",
                {"got": str(value)},
            )
        return value


class Investment(Cited):
    """An investment figure or project."""

    id: SourceId | None = None  # to name its amount in a text: {investment ID}
    text: TextField
    amount: AmountField | None = None
    date: DateField | None = None
    direction: Literal["inbound", "outbound", "mutual"] | None = None


class Target(Cited):
    """A goal the sides set, e.g. a trade turnover to reach."""

    id: SourceId
    text: TextField
    metric: Literal["turnover", "investment", "other"] = "other"
    amount: AmountField | None = None
    by: DateField | None = None
    set_on: DateField | None = None


class Multilateral(Cited):
    """Cooperation within an organisation both sides belong to."""

    organisation: SourceId
    text: TextField
    date: DateField | None = None


class Quote(Cited):
    """A statement: who made it, when, and what. Reported speech in the analyst's words,
    unless `verbatim` (the speaker's own words, set in quotation marks)."""

    speaker: SourceId
    date: DateField | None = None
    text: TextField
    verbatim: bool = False


class Mission(Cited):
    """A diplomatic or consular mission of one side in the other's country."""

    country: CountryCode  # the sending country
    kind: Literal["embassy", "consulate_general", "consulate", "honorary_consulate"]
    city: TextField
    count: int = Field(1, gt=0)
    opened: DateField | None = None


class Ambassador(Cited):
    """An ambassador accredited to the other side."""

    person: SourceId
    country: CountryCode  # the sending country
    since: DateField | None = None
    until: DateField | None = None


class Event(Cited):
    """An upcoming event: a session, summit or visit (its date left out when the source does
    not state it: the brief says so)."""

    date: DateField | None = None
    title: TextField
    place: TextField | None = None
    mechanism: SourceId | None = None
    organisation: SourceId | None = None
    number: int | None = Field(None, gt=0)


class Dossier(Model):
    """All facts of one country pair."""

    pair: str = Field(pattern=r"^[a-z]{2}-[a-z]{2}$")
    countries: Annotated[list[CountryCode], Field(min_length=2, max_length=2)]
    marking: Literal["official", "restricted", "unclassified"] = "official"
    summary: list[Fact] = []
    key_dates: list[KeyDate] = []
    mechanisms: list[Mechanism] = []
    agreements: list[Agreement] = []
    visits: list[Visit] = []
    trade: list[TradeYear] = []
    investment: list[Investment] = []
    targets: list[Target] = []
    multilateral: list[Multilateral] = []
    quotes: list[Quote] = []
    representation: list[Mission] = []
    ambassadors: list[Ambassador] = []
    events: list[Event] = []
    talking_points: list[Fact] = []

    def key_date(self, kind: str) -> KeyDate | None:
        """The first key date of a kind, e.g. 'diplomatic_relations'."""
        return next((k for k in self.key_dates if k.kind == kind), None)

    def mechanism(self, mid: str) -> Mechanism | None:
        """The mechanism with this id."""
        return next((m for m in self.mechanisms if m.id == mid), None)


# ---- sections the analysts declare (templates/sections.yaml) ----------------------------------


class DatedFact(Cited):
    """An item of a declared section that happened on a date."""

    text: TextField
    date: DateField


class PersonItem(Cited):
    """An item of a declared section: a person (an id in people.yaml) and their part."""

    person: SourceId
    role: TextField | None = None


class Figure(Cited):
    """An item of a declared section: what a figure measures, its amount, and when."""

    label: TextField
    value: AmountField
    date: DateField | None = None


# the shapes a declared section's items may take, by the name sections.yaml gives them
SECTION_ITEMS: dict[str, type[Cited]] = {
    "facts": Fact,
    "dated": DatedFact,
    "people": PersonItem,
    "figures": Figure,
}
SectionKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class Section(Model):
    """A section of the dossiers: its heading in each language and the shape of its items."""

    heading: TextField
    items: Literal["facts", "dated", "people", "figures"]


class SectionsFile(Model):
    """templates/sections.yaml: the sections analysts add to every dossier."""

    sections: dict[SectionKey, Section] = {}


def dossier_model(sections: dict[str, Section]) -> type[Dossier]:
    """The dossier with the declared sections as keys of their own (one model per set)."""
    return _dossier_model(tuple(sorted((key, s.items) for key, s in sections.items())))


@functools.cache
def _dossier_model(shapes: tuple[tuple[str, str], ...]) -> type[Dossier]:
    if not shapes:
        return Dossier
    fields: dict[str, Any] = {
        key: (list.__class_getitem__(SECTION_ITEMS[shape]), []) for key, shape in shapes
    }
    model = create_model("Dossier", __base__=Dossier, **fields)
    model.__doc__ = Dossier.__doc__
    return model
