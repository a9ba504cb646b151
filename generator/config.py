"""Project settings from brief.yaml (optional): issuing office, ages, mail defaults."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from . import yamlio
from .errors import Findings
from .facts import Model, TextField
from .schema import validate
from .values import Text

DEFAULT_OFFICE = Text(
    kk="Қазақстан Республикасы Сыртқы істер министрлігі",
    ru="Министерство иностранных дел Республики Казахстан",
    en="Ministry of Foreign Affairs of the Republic of Kazakhstan",
)


class MailConfig(Model):
    """Defaults for `brief mail`."""

    sender: str | None = None
    smtp: str | None = None
    security: str = "none"
    user: str | None = None
    max_size_mb: float = Field(10, gt=0)
    recipients: dict[str, list[str]] = {}


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
