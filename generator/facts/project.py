"""Load a project: settings, sources, registries and dossiers, validated with file:line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from generator.errors import Finding, Findings, InputErrors
from generator.facts import reader
from generator.facts.model import (
    Cited,
    Dossier,
    Organisation,
    OrganisationsFile,
    PeopleFile,
    Person,
    Section,
    SectionsFile,
    Source,
    dossier_model,
)
from generator.facts.paths import (
    REGISTRIES,
    SECTIONS_FILE,
    dossier_path,
    pair_names,
    require_known,
    require_pair_names,
    require_project,
)
from generator.facts.schema import validate
from generator.facts.settings import Config, load_config
from generator.facts.walk import cited_sources, locate_texts, records

M = TypeVar("M", bound=BaseModel)


@dataclass
class Project:
    """Everything the generator knows about one project folder."""

    root: Path
    config: Config
    sources: dict[str, Source] = field(default_factory=dict)
    source_files: dict[str, str] = field(default_factory=dict)  # id → path (also broken ones)
    people: dict[str, Person] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)  # templates/sections.yaml
    dossiers: dict[str, Dossier] = field(default_factory=dict)
    docs: dict[str, reader.YamlFile] = field(default_factory=dict)  # path → document
    findings: Findings = field(default_factory=Findings)

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    def pair_names(self) -> list[str]:
        """Every pair that has a dossier file, valid or not."""
        return pair_names(self.root)

    @property
    def languages(self) -> tuple[str, ...]:
        """The brief's languages (brief.yaml `languages:`, default kk, ru, en)."""
        return tuple(self.config.languages)

    def dossier_path(self, pair: str) -> str:
        return dossier_path(pair)

    def validate(self, model: type[M], doc: reader.YamlFile) -> M | None:
        """A record from a loaded file, its problems recorded and its texts located."""
        record, problems = validate(model, doc, languages=self.languages)
        self.findings.extend(problems)
        if record is not None:
            locate_texts(record, doc)
        return record

    def require(self, pairs: list[str]) -> list[Dossier]:
        """The dossiers of `pairs`, or one error listing every problem that blocks them."""
        self.require_known(pairs)
        blocking = [f for f in self.findings.errors if f.path in self.blocking_files(pairs)]
        if blocking:
            raise InputErrors(blocking)
        return [self.dossiers[p] for p in pairs]

    def blocking_errors(self, pair: str) -> list[Finding]:
        """The load errors that stop a build of one pair (empty when it can be built)."""
        files = self.blocking_files([pair])
        return [f for f in self.findings.errors if f.path in files]

    def require_known(self, pairs: list[str]) -> None:
        """Raise a clear error for a pair that has no dossier file."""
        require_known(self.root, pairs)

    def blocking_files(self, pairs: list[str]) -> set[str]:
        """Files whose errors stop a build of `pairs`: the dossiers, what they cite, settings."""
        files = {"brief.yaml", SECTIONS_FILE, *(f"briefs/{r}" for r in REGISTRIES)}
        for pair in pairs:
            files.add(self.dossier_path(pair))
            dossier = self.dossiers.get(pair)
            if dossier:
                files |= {
                    self.source_files[s] for s in cited_sources(dossier) if s in self.source_files
                }
        files |= {
            self.source_files[s]
            for s in cited_sources(list(self.people.values()))
            if s in self.source_files
        }
        # a broken record of sources/ is a broken project, whoever cites it
        files |= {f.path for f in self.findings.errors if f.path.startswith("sources/")}
        return files

    def line(self, path: str, where: tuple = ()) -> int | None:
        """The line of a key path in a loaded file."""
        doc = self.docs.get(path)
        return doc.line(where) if doc else None


def load_project(root: Path, pairs: list[str] | None = None) -> Project:
    """Read and validate the whole fact base (or only the dossiers of `pairs`)."""
    root = require_project(root)
    require_pair_names(pairs or [])
    findings = Findings()
    config = load_config(root, findings)
    project = Project(root, config, findings=findings)
    _load_sources(project)
    _load_registries(project)
    _load_sections(project)
    for pair in pairs if pairs is not None else project.pair_names():
        path = root / "briefs" / f"{pair}.yaml"
        if path.exists():
            _load_dossier(project, path)
    return project


def _read(project: Project, path: Path) -> reader.YamlFile | None:
    doc, problems = reader.load(path, project.root)
    project.findings.extend(problems)
    if doc is not None:
        project.docs[doc.path] = doc
    return doc if not any(p.severity == "error" for p in problems) else None


def _load_sources(project: Project) -> None:
    folder = project.root / "sources"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        rel = f"sources/{path.name}"
        project.source_files[path.stem] = rel
        doc = _read(project, path)
        if doc is None:
            continue
        source = project.validate(Source, doc)
        if source is None:
            continue
        if source.id != path.stem:
            project.findings.add(
                rel,
                doc.line(("id",)),
                f"the id '{source.id}' differs from the file name '{path.stem}'",
                hint=f"rename the file to {source.id}.yaml or set id: {path.stem}",
                code="source-id-mismatch",
            )
            continue
        project.sources[source.id] = source
        if source.date is None:
            project.findings.add(
                rel,
                doc.line(),
                f"the source '{source.id}' has no date",
                hint="add 'date:' (a year, month or day) if the source gives one",
                code="source-no-date",
                severity="warning",
            )
        if source.publisher is None:
            project.findings.add(
                rel,
                doc.line(),
                f"the source '{source.id}' has no publisher",
                hint="add 'publisher: {kk: ..., ru: ..., en: ...}'",
                code="source-no-publisher",
                severity="warning",
            )


def _read_valid(project: Project, path: Path, model: type[M]) -> tuple[reader.YamlFile, M] | None:
    """An optional file of the project, read and validated (None: absent or unusable, its
    problems recorded)."""
    if not path.exists():
        return None
    doc = _read(project, path)
    if doc is None:
        return None
    parsed = project.validate(model, doc)
    return None if parsed is None else (doc, parsed)


def _load_registries(project: Project) -> None:
    for name, model, attr, key in (
        ("people.yaml", PeopleFile, "people", "people"),
        ("organisations.yaml", OrganisationsFile, "organisations", "organisations"),
    ):
        loaded = _read_valid(project, project.root / "briefs" / name, model)
        if loaded is None:
            continue
        doc, parsed = loaded
        registry = getattr(project, attr)
        for i, item in enumerate(getattr(parsed, key)):
            if item.id in registry:
                project.findings.add(
                    doc.path,
                    doc.line((key, i, "id")),
                    f"the id '{item.id}' is used twice in {name}",
                    hint="give each entry its own id",
                    code="duplicate-id",
                )
            registry[item.id] = item
        if attr == "people":
            for path_, obj in records(parsed):
                if isinstance(obj, Cited):
                    _check_source(project, doc, path_, obj)


def _load_sections(project: Project) -> None:
    """The sections analysts declare in templates/sections.yaml (none: the built-in ones)."""
    loaded = _read_valid(project, project.root / SECTIONS_FILE, SectionsFile)
    if loaded is None:
        return
    doc, parsed = loaded
    for key, section in parsed.sections.items():
        if key in Dossier.model_fields:
            project.findings.add(
                doc.path,
                doc.line(("sections", key)),
                f"'{key}' is a section every dossier already has",
                hint="give the new section a name of its own (letters, digits and _)",
                code="section-built-in",
            )
            continue
        project.sections[key] = section


def _load_dossier(project: Project, path: Path) -> None:
    doc = _read(project, path)
    if doc is None:
        return
    dossier = project.validate(dossier_model(project.sections), doc)
    if dossier is None:
        _check_raw_sources(project, doc, doc.data, ())
        return
    pair = path.stem
    expected = "-".join(c.lower() for c in dossier.countries)
    if dossier.pair != pair:
        project.findings.add(
            doc.path,
            doc.line(("pair",)),
            f"'pair' is '{dossier.pair}' but the file is {path.name}",
            hint=f"set pair: {pair}, or rename the file to {dossier.pair}.yaml",
            code="pair-mismatch",
        )
    if expected != pair:
        project.findings.add(
            doc.path,
            doc.line(("countries",)),
            f"the countries {dossier.countries[0]} and {dossier.countries[1]} "
            f"make the pair '{expected}', but the file is {path.name}",
            hint="list our country first, then the partner, as in the file name",
            code="pair-mismatch",
        )
    _check_references(project, doc, dossier)
    project.dossiers[pair] = dossier


def _check_references(project: Project, doc: reader.YamlFile, dossier: Dossier) -> None:
    mechanisms = {m.id for m in dossier.mechanisms}
    for where, obj in records(dossier):
        if isinstance(obj, Cited):
            _check_source(project, doc, where, obj)
        for attr, registry, what, hint_file in (
            ("participants", project.people, "person", "briefs/people.yaml"),
            ("speaker", project.people, "person", "briefs/people.yaml"),
            ("person", project.people, "person", "briefs/people.yaml"),
            ("organisation", project.organisations, "organisation", "briefs/organisations.yaml"),
            ("mechanism", {m: m for m in mechanisms}, "mechanism", "mechanisms: in this dossier"),
        ):
            value = getattr(obj, attr, None) if isinstance(obj, BaseModel) else None
            if value is None or attr not in type(obj).model_fields:
                continue
            values = value if isinstance(value, list) else [value]
            for i, ident in enumerate(values):
                if ident not in registry:
                    near = difflib.get_close_matches(ident, list(registry), n=1)
                    loc = where + ((attr, i) if isinstance(value, list) else (attr,))
                    project.findings.add(
                        doc.path,
                        doc.line(loc),
                        f"unknown {what} '{ident}'",
                        hint=(f"did you mean '{near[0]}'? " if near else "")
                        + f"{what}s are listed in {hint_file}",
                        code=f"unknown-{what}",
                    )


def _check_source(project: Project, doc: reader.YamlFile, where: tuple, obj: Cited) -> None:
    _check_source_id(project, doc, where, obj.source)


def _check_source_id(project: Project, doc: reader.YamlFile, where: tuple, ident: str) -> None:
    if ident in project.source_files:
        return
    near = difflib.get_close_matches(ident, list(project.source_files), n=1, cutoff=0.5)
    project.findings.add(
        doc.path,
        doc.line(where + ("source",)),
        f"the source '{ident}' does not exist",
        hint=(f"did you mean '{near[0]}'? " if near else "")
        + f"each source is a file sources/<id>.yaml; add sources/{ident}.yaml or fix the id",
        code="unknown-source",
    )


def _check_raw_sources(project: Project, doc: reader.YamlFile, data: Any, where: tuple) -> None:
    """Cited source ids of a dossier that did not validate (so every problem shows at once)."""
    if isinstance(data, dict):
        if isinstance(data.get("source"), str):
            _check_source_id(project, doc, where, data["source"])
        for key, value in data.items():
            _check_raw_sources(project, doc, value, where + (key,))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            _check_raw_sources(project, doc, item, where + (i,))
