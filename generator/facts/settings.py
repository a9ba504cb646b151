"""Project settings from brief.yaml (optional): issuing office, ages, mail defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from generator.errors import Findings, ValueProblem
from generator.facts import reader
from generator.facts.model import Model, TextField
from generator.facts.schema import validate
from generator.facts.values import DEFAULT_LANGUAGES, Text
from generator.facts.walk import locate_texts
from generator.mail.addresses import one_line, parse_address, parse_server

DEFAULT_OFFICE = Text(
    kk="Қазақстан Республикасы Сыртқы істер министрлігі",
    ru="Министерство иностранных дел Республики Казахстан",
    en="Ministry of Foreign Affairs of the Republic of Kazakhstan",
)


def _checked(parse):
    def convert(value):
        if not isinstance(value, str):
            return value  # pydantic then says it must be text
        try:
            parse(value)
        except ValueProblem as exc:
            raise PydanticCustomError("value", str(exc)) from None
        return value.strip()

    return BeforeValidator(convert)


AddressText = Annotated[str, _checked(parse_address)]
ServerText = Annotated[str, _checked(parse_server)]
UserText = Annotated[str, _checked(one_line)]
PairKey = Annotated[str, Field(pattern=r"^[a-z]{2}-[a-z]{2}$")]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]


class MailConfig(Model):
    """Defaults for `brief mail`: the sender, the server and the recipients of each pair."""

    sender: AddressText | None = None
    smtp: ServerText | None = None  # host:port
    security: Literal["none", "starttls", "ssl"] = "none"
    user: UserText | None = None
    max_size_mb: float = Field(10, gt=0)
    recipients: dict[PairKey, list[AddressText]] = {}  # To: when no --to is given
    cc: dict[PairKey, list[AddressText]] = {}  # Cc: when no --cc is given


class Drafter(Model):
    """Who drafted the briefs (the executor the ministry's practice names at the end): a name
    in each language and a telephone."""

    name: TextField
    phone: UserText | None = None


class Config(Model):
    """Settings of one project."""

    office: TextField = DEFAULT_OFFICE
    stale_after_years: int = Field(2, ge=0)
    languages: Annotated[list[LanguageCode], Field(min_length=1)] = list(DEFAULT_LANGUAGES)
    mail: MailConfig = MailConfig()
    drafter: Drafter | None = None


def load_config(root: Path, findings: Findings) -> Config:
    """Read brief.yaml if it exists; problems go to `findings`, defaults are used instead."""
    path = root / "brief.yaml"
    if not path.exists():
        return Config()
    doc, problems = reader.load(path, root)
    findings.extend(problems)
    if doc is None or doc.data is None:
        return Config()
    languages = doc.data.get("languages") if isinstance(doc.data, dict) else None
    if not (
        isinstance(languages, list) and languages and all(isinstance(x, str) for x in languages)
    ):
        languages = None  # a wrong list is reported by the validation itself
    config, problems = validate(Config, doc, tuple(languages) if languages else None)
    findings.extend(problems)
    if config is None:
        return Config()
    locate_texts(config, doc)
    return config
