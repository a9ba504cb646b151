"""Project settings from brief.yaml (optional): issuing office, ages, mail defaults."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from . import yamlio
from .addresses import one_line, parse_address, parse_server
from .errors import Findings
from .facts import Model, TextField
from .schema import validate
from .values import Text, ValueProblem

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


class MailConfig(Model):
    """Defaults for `brief mail`: the sender, the server and the recipients of each pair."""

    sender: AddressText | None = None
    smtp: ServerText | None = None  # host:port
    security: Literal["none", "starttls", "ssl"] = "none"
    user: UserText | None = None
    max_size_mb: float = Field(10, gt=0)
    recipients: dict[PairKey, list[AddressText]] = {}  # To: when no --to is given
    cc: dict[PairKey, list[AddressText]] = {}  # Cc: when no --cc is given


class Config(Model):
    """Settings of one project."""

    office: TextField = DEFAULT_OFFICE
    stale_after_years: int = Field(2, ge=0)
    languages: list[str] = ["kk", "ru", "en"]
    mail: MailConfig = MailConfig()


def load_config(root: Path, findings: Findings) -> Config:
    """Read brief.yaml if it exists; problems go to `findings`, defaults are used instead."""
    path = root / "brief.yaml"
    if not path.exists():
        return Config()
    doc, problems = yamlio.load(path, root)
    findings.extend(problems)
    if doc is None or doc.data is None:
        return Config()
    config, problems = validate(Config, doc)
    findings.extend(problems)
    return config or Config()
