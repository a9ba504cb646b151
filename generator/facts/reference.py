"""The dossier reference (docs/dossier.md): every section, key and value a dossier may hold,
read from the facts model and the declared sections, with an example of each section."""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.facts.model import (
    SECTION_ITEMS,
    Agreement,
    Ambassador,
    DatedFact,
    Dossier,
    Event,
    Fact,
    Figure,
    Investment,
    KeyDate,
    Mechanism,
    Mission,
    Multilateral,
    Organisation,
    Person,
    PersonItem,
    Quote,
    Section,
    Source,
    Target,
    TradeYear,
    Visit,
)
from generator.facts.paths import PAIR_RULE, SECTIONS_FILE
from generator.facts.values import (
    AMOUNT_FORMS,
    DATE_FORMS,
    DEFAULT_LANGUAGES,
    Amount,
    FuzzyDate,
    Text,
)
from generator.facts.walk import key_of

COMMAND = ".venv/bin/python tools/make_dossier_reference.py"  # writes docs/dossier.md

# what an id names, by the key it is written under
REFERS_TO = {
    "source": "the id of a source: its file in sources/ without .yaml",
    "speaker": "the id of a person in briefs/people.yaml",
    "person": "the id of a person in briefs/people.yaml",
    "participants": "the id of a person in briefs/people.yaml",
    "organisation": "the id of an organisation in briefs/organisations.yaml",
    "mechanism": "the id of a mechanism of this dossier (under mechanisms:)",
    "id": "an id of its own: lowercase letters, digits and hyphens",
}

# a word on a key where its type alone does not say enough, by (record, key)
NOTES = {
    ("Cited", "locator"): "where in the source: a page, paragraph or passage, e.g. para. 24",
    ("Dossier", "pair"): "the file's name without .yaml",
    ("Dossier", "countries"): "ours first, as in the file name: [KZ, TR]",
    ("Dossier", "marking"): "the classification printed on every page",
    ("Session", "number"): "as the sources number the meeting (the 4th: 4)",
    ("Session", "date"): "left out when the sources do not date the meeting",
    ("Mechanism", "id"): "events name the mechanism by it",
    ("TradeYear", "year"): "or with details: {value: 2025, inferred: true, note: {…}} or "
    "{value: 2025, written: …}, as for a date",
    ("TradeYear", "exports"): "from the first country's side",
    ("TradeYear", "imports"): "from the first country's side",
    ("TradeYear", "partial"): "the part of the year the figures cover, e.g. January–September",
    ("TradeYear", "alternatives"): "the values other sources give for the same year",
    ("Investment", "id"): "a text names its amount as {investment ID}",
    ("Target", "id"): "a text names its amount as {target ID}",
    ("Target", "by"): "the deadline",
    ("Target", "set_on"): "when the goal was set",
    ("Quote", "text"): "reported speech that continues the speaker's name: said that …",
    ("Quote", "verbatim"): "true: the speaker's own words, set in quotation marks and looked "
    "for word for word in the source's text",
    ("Mission", "country"): "the sending country",
    ("Mission", "count"): "how many such missions, e.g. 7 honorary consulates",
    ("Ambassador", "country"): "the sending country",
    ("Event", "date"): "left out when the source does not state it: the brief says so",
    ("Source", "id"): "the file's name without .yaml",
    ("Source", "language"): "the language the source is written in",
    ("Source", "original_title"): "the title as the source writes it",
    ("Source", "url"): "a web address starting with https://",
    ("Office", "former"): "true: no longer held, though the sources give no end date",
    ("Protocol", "full"): "on first mention in a brief",
    ("Protocol", "short"): "on every later mention",
}

# what a built-in section is for, where the item's own description does not say
PURPOSES = {
    "summary": "The brief's summary: a few statements of fact.",
    "talking_points": "Lines the principal can say to the counterpart.",
}

# one example item of each record, as an analyst writes it (facts of the shipped kz-tr dossier)
EXAMPLES: dict[type[BaseModel], str] = {
    Fact: """\
text:
  kk: Министрлер жоғары деңгейде сапарлар жиі болып тұратынын оң бағалады.
  ru: Министры выразили удовлетворение частотой визитов на высшем и высоком уровнях.
  en: The ministers welcomed the frequency of high-level visits.
source: mfa-kz-tr-jspg-2026-02-02
locator: para. 4
""",
    KeyDate: """\
kind: diplomatic_relations
date: 1992-03-02            # a day; 1992-03 is a month, 1992 a year
text:
  kk: Дипломатиялық қатынастар орнатылды
  ru: Установлены дипломатические отношения
  en: Diplomatic relations established
source: enu-bulletin-2023-kz-tr-cooperation
locator: Discussion, first paragraph
""",
    Mechanism: """\
id: hlscc
name:
  kk: Жоғары деңгейдегі стратегиялық ынтымақтастық кеңесі
  ru: Совет стратегического сотрудничества высокого уровня
  en: High-Level Strategic Cooperation Council
level: {kk: Мемлекет басшылары деңгейі, ru: Уровень глав государств, en: Heads of state}
source: mfa-kz-tr-jspg-2026-02-02
locator: para. 24
sessions:
  - number: 4
    date:
      value: 2022-10
      inferred: true
      note:
        kk: Мақалада тек күндері (12–13 қазан) көрсетілген; жылы мәтіннің мазмұнынан шығады.
        ru: В статье указаны только дни (12–13 октября); год следует из контекста.
        en: The article gives only the days (12–13 October); the year follows from the context.
    place: {kk: Астана, ru: Астана, en: Astana}
    source: enu-bulletin-2023-kz-tr-cooperation
""",
    Agreement: """\
title:
  kk: Стратегиялық әріптестік туралы келісім
  ru: Соглашение о стратегическом партнёрстве
  en: Agreement on strategic partnership
status: signed
date: 2009-10
source: enu-bulletin-2023-kz-tr-cooperation
locator: Discussion, second paragraph
""",
    Visit: """\
date: 2026-02-02
level: talks
title:
  kk: Бірлескен стратегиялық жоспарлау тобының 8-ші отырысы
  ru: 8-е заседание Совместной группы стратегического планирования
  en: 8th meeting of the Joint Strategic Planning Group
place: {kk: Анкара, ru: Анкара, en: Ankara}
participants: [kosherbayev, fidan]
source: mfa-kz-tr-jspg-2026-02-02
locator: para. 1
""",
    TradeYear: """\
year: 2021
turnover: 4.1 bn USD        # also "over 5 bn USD", "about 1.3 bn USD"
exports: 3 bn USD
imports: 1.1 bn USD
source: enu-bulletin-2023-kz-tr-cooperation
locator: Discussion, trade paragraph
alternatives:
  - turnover: over 5 bn USD
    source: enu-bulletin-2023-kz-tr-cooperation
    locator: Discussion, quotation of President Tokayev
""",
    Investment: """\
id: portfolio
text:
  kk: Жалпы құны {investment portfolio} болатын 140 бірлескен жоба
  ru: 140 совместных проектов общей стоимостью {investment portfolio}
  en: 140 joint projects worth {investment portfolio} in total
amount: 6 bn USD
source: enu-bulletin-2023-kz-tr-cooperation
""",
    Target: """\
id: turnover-10bn
metric: turnover
amount: 10 bn USD
text:
  kk: Екіжақты тауар айналымын {target turnover-10bn to} жеткізу
  ru: Довести двусторонний товарооборот до {target turnover-10bn}
  en: Raise bilateral trade to {target turnover-10bn to}
source: enu-bulletin-2023-kz-tr-cooperation
locator: Discussion, quotation of President Tokayev
""",
    Multilateral: """\
organisation: ots
text:
  kk: Екі ел де ТМҰ-ның құрылтайшы мүшелері.
  ru: Обе страны — государства-основатели ОТГ.
  en: Both are founding members of the OTS.
source: mfa-kz-tr-jspg-2026-02-02
locator: paras. 17–18
""",
    Quote: """\
speaker: tokayev
text:
  kk: Түркия Қазақстанның жетекші бес сауда серіктесінің қатарында екенін айтты.
  ru: заявил, что Турция входит в пятёрку ведущих торговых партнёров Казахстана.
  en: said that Türkiye was one of Kazakhstan's five leading trading partners.
source: enu-bulletin-2023-kz-tr-cooperation
locator: Discussion, quotation of President Tokayev
""",
    Mission: """\
country: KZ
kind: embassy
city: {kk: Анкара, ru: Анкара, en: Ankara}
opened: 1992-10
source: enu-bulletin-2023-kz-tr-cooperation
locator: Introduction, first paragraph
""",
    Ambassador: """\
person: sapiyev
country: KZ
since: 2022
source: enu-bulletin-2023-kz-tr-cooperation
locator: Introduction, paragraph on missions
""",
    Event: """\
title:
  kk: Жоғары деңгейдегі стратегиялық ынтымақтастық кеңесінің 6-шы отырысы
  ru: 6-е заседание Совета стратегического сотрудничества высокого уровня
  en: 6th meeting of the High-Level Strategic Cooperation Council
place: {kk: Астана, ru: Астана, en: Astana}
mechanism: hlscc
number: 6
source: mfa-kz-tr-jspg-2026-02-02
locator: para. 24
""",
    DatedFact: """\
date: 2026-02-02
text:
  kk: Министрлер Бірлескен мәлімдеме қабылдады.
  ru: Министры приняли Совместное заявление.
  en: The ministers adopted a Joint Statement.
source: mfa-kz-tr-jspg-2026-02-02
locator: para. 1
""",
    PersonItem: """\
person: sapiyev
role:
  kk: Қазақстанның Түркиядағы Елшісі
  ru: Посол Казахстана в Турции
  en: Ambassador of Kazakhstan to Türkiye
source: enu-bulletin-2023-kz-tr-cooperation
locator: Introduction, paragraph on missions
""",
    Figure: """\
label:
  kk: Бірлескен инвестициялық жобалардың құны
  ru: Стоимость совместных инвестиционных проектов
  en: Value of joint investment projects
value: 6 bn USD
source: enu-bulletin-2023-kz-tr-cooperation
""",
    Source: """\
id: mfa-kz-tr-jspg-2026-02-02
kind: joint_statement
language: kk
title:
  kk: Қазақстан мен Түркия сыртқы істер министрлерінің Бірлескен мәлімдемесі
  ru: Совместное заявление министров иностранных дел Казахстана и Турции
  en: Joint Statement of the Foreign Ministers of Kazakhstan and Türkiye
publisher:
  kk: Қазақстан Республикасы Сыртқы істер министрлігінің баспасөз қызметі
  ru: Пресс-служба Министерства иностранных дел Республики Казахстан
  en: Press Service of the Ministry of Foreign Affairs of the Republic of Kazakhstan
date: 2026-02-02
""",
    Person: """\
id: sapiyev
name: {kk: Еркебұлан Сәпиев, ru: Еркебулан Сапиев, en: Yerkebulan Sapiyev}
protocol:
  full: {kk: Еркебұлан Сәпиев, ru: Еркебулан Сапиев, en: Yerkebulan Sapiyev}
  short: {kk: Еркебұлан Сәпиев, ru: Еркебулан Сапиев, en: Yerkebulan Sapiyev}
offices:
  - title:
      kk: Қазақстан Республикасының Түркия Республикасындағы Елшісі
      ru: Посол Республики Казахстан в Турецкой Республике
      en: Ambassador of the Republic of Kazakhstan to the Republic of Türkiye
    country: KZ
    from: 2022
    source: enu-bulletin-2023-kz-tr-cooperation
""",
    Organisation: """\
id: ots
name:
  kk: Түркі мемлекеттері ұйымы
  ru: Организация тюркских государств
  en: Organization of Turkic States
abbr: {kk: ТМҰ, ru: ОТГ, en: OTS}
""",
}
SECTION_EXAMPLES = {  # where a section's example differs from its item's
    "talking_points": """\
text:
  kk: Орта дәліздің өткізу қабілетін арттыру жөніндегі нақты шешімдерді келісуді ұсынамыз.
  ru: Предлагаем согласовать меры по пропускной способности Среднего коридора.
  en: We propose to agree concrete steps to raise the capacity of the Middle Corridor.
source: mfa-kz-tr-jspg-2026-02-02
locator: para. 6
""",
}
REGISTRIES = (  # the files the facts of a dossier refer to: (heading, file, list key, record)
    ("Sources", "sources/<id>.yaml", None, Source),
    ("People", "briefs/people.yaml", "people", Person),
    ("Organisations", "briefs/organisations.yaml", "organisations", Organisation),
)


def sections_of(sections: dict[str, Section]) -> list[tuple[str, type[BaseModel], Section | None]]:
    """Every section of a dossier: its key, its item record, and its declaration (None for the
    sections every dossier has), built-in ones first."""
    found: list[tuple[str, type[BaseModel], Section | None]] = []
    for name, field in Dossier.model_fields.items():
        item = _list_item(field.annotation)
        if item is not None:
            found.append((key_of(name, field), item, None))
    found += [(key, SECTION_ITEMS[s.items], s) for key, s in sections.items()]
    return found


def section_example(key: str, item: type[BaseModel]) -> str:
    """The YAML of a section with one example item.

    >>> print(section_example("trade", TradeYear).splitlines()[1])
      - year: 2021
    """
    return f"{key}:\n" + _indent_item(SECTION_EXAMPLES.get(key) or EXAMPLES[item])


def example_dossier(pair: str, countries: tuple[str, str], sections: dict[str, Section]) -> str:
    """A dossier that holds the example of every section (the reference's examples, together)."""
    head = f"pair: {pair}\ncountries: [{', '.join(countries)}]\n"
    return head + "".join(section_example(k, item) for k, item, _ in sections_of(sections))


def dossier_reference(sections: dict[str, Section]) -> str:
    """The Markdown reference of a dossier with these declared sections."""
    langs = ", ".join(DEFAULT_LANGUAGES)
    out = [
        "# Dossier reference",
        "",
        f"<!-- Generated from generator/facts/model.py and {SECTIONS_FILE} by `{COMMAND}`; "
        "do not edit by hand. -->",
        "",
        "A dossier, `briefs/<pair>.yaml`, holds the facts of one country pair by section. "
        "`brief new kz-uz` starts one; `brief check kz-uz` says what is wrong, with file and "
        "line. Every section is optional: a dossier with no facts builds, and says less. "
        "Each item of a section cites its source (`source:`, and where in it, `locator:`).",
        "",
        "## Values",
        "",
        f"- **Text in each language**: `{{{', '.join(f'{x}: …' for x in DEFAULT_LANGUAGES)}}}`"
        f", the brief's languages (`languages:` in brief.yaml, default {langs}). Written on one "
        'line, a text with a comma goes in quotes (`en: "Astana, Kazakhstan"`); or write '
        "each language on a line of its own. A text may name a figure or a person of the "
        "facts: `{trade 2021 turnover}`, `{target ID}`, `{investment ID}`, `{person ID}`.",
        f"- **Date**, with its real precision: {DATE_FORMS}; a range `2022-10-12/2022-10-13`. "
        "A date worked out rather than read is `{value: 2022-10, inferred: true, note: {…}}`, "
        "the note saying how; one the source words relatively keeps its words: "
        "`{value: 2024, written: былтыр}`.",
        f"- **Amount**: a number, a scale and an ISO 4217 currency: {AMOUNT_FORMS}; it may "
        "start with over, about, nearly, under or up to. Scales: thousand, mn, bn, tn (мың, "
        "млн, млрд, трлн). A decimal comma is read where nothing else can be meant "
        '(`4,1 bn USD`). Also `{value: "4,1", currency: USD, qualifier: over}`.',
        "- **Id**: lowercase letters, digits and hyphens (`hlscc`, `turnover-10bn`); a "
        "source's id is its file name in sources/, a person's and an organisation's are "
        "listed in briefs/.",
        "",
        "## The dossier's own keys",
        "",
        *_table(Dossier, skip_lists=True),
        "",
        "```yaml",
        "pair: kz-tr",
        "countries: [KZ, TR]",
        "marking: official",
        "```",
    ]
    for key, item, declared in sections_of(sections):
        out += ["", f"## `{key}`", ""]
        if declared is not None:
            heading = " / ".join(declared.heading.get(x) or "" for x in DEFAULT_LANGUAGES)
            out += [
                f"Declared in {SECTIONS_FILE} (items: `{declared.items}`), headed "
                f"{heading}. {_doc(item)}",
                "",
            ]
        else:
            out += [PURPOSES.get(key) or _doc(item), ""]
        out += [*_tables(item), "", "```yaml", section_example(key, item).rstrip(), "```"]
    out += ["", "# Files the facts refer to"]
    for heading, file, list_key, record in REGISTRIES:
        example = EXAMPLES[record]
        if list_key:
            example = f"{list_key}:\n" + _indent_item(example)
        where = f"They are listed under `{list_key}:`." if list_key else "One record a file."
        out += [
            "",
            f"## {heading}: {file}",
            "",
            f"{_doc(record)} {where}",
            "",
            *_tables(record),
            "",
            "```yaml",
            example.rstrip(),
            "```",
        ]
    return "\n".join(out) + "\n"


def item_records(sections: dict[str, Section]) -> list[type[BaseModel]]:
    """Every record the reference describes: items of sections and of the files, nested ones
    included (a mechanism's sessions, a year's other figures)."""
    roots = [item for _, item, _ in sections_of(sections)] + [r for *_, r in REGISTRIES]
    found: list[type[BaseModel]] = []
    for root in roots:
        for record in [root, *_nested(root)]:
            if record not in found:
                found.append(record)
    return found


def _tables(record: type[BaseModel]) -> list[str]:
    """A record's table, then one per record nested in it."""
    lines = _table(record)
    for key, inner in _nested_keys(record):
        lines += ["", f"Each of `{key}`: {_doc(inner)}", "", *_tables(inner)]
    return lines


def _table(record: type[BaseModel], skip_lists: bool = False) -> list[str]:
    rows = ["| Key | | Value |", "|---|---|---|"]
    seen: set[str] = set()
    for name, field in record.model_fields.items():
        key = key_of(name, field)
        if key in seen or (skip_lists and _list_item(field.annotation) is not None):
            continue  # a key read into two fields (a trade year and its details) is one row
        seen.add(key)
        what = _describe(_full_type(field), key)
        note = _note(record, key)
        rows.append(f"| `{key}` | {_need(field)} | {what}{'; ' + note if note else ''} |")
    return rows


def _note(record: type[BaseModel], key: str) -> str | None:
    for cls in record.__mro__:
        if (cls.__name__, key) in NOTES:
            return NOTES[(cls.__name__, key)]
    return None


def _need(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    default = field.default
    if default is None or default == []:
        return "optional"
    shown = str(default).lower() if isinstance(default, bool) else default
    return f"optional, default `{shown}`"


def _describe(tp: Any, key: str) -> str:
    """A type in the analyst's words.

    >>> _describe(Annotated[int, _Bounds(ge=1991, le=2100)], "year")
    'a whole number from 1991 to 2100'
    >>> _describe(Literal["signed", "planned"] | None, "status")
    'one of `signed`, `planned`'
    """
    tp, meta = _unwrap(tp)
    origin = get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(f"`{v}`" for v in get_args(tp))
    if origin is list:
        inner = get_args(tp)[0]
        size = _bound(meta, "min_length")
        count = f" of {size}" if size is not None and size == _bound(meta, "max_length") else ""
        if _model(inner) is not None:
            return f"a list{count}, each item as in “Each of `{key}`” below"
        return f"a list{count}, each {_describe(inner, key)}"
    if _model(tp) is not None:
        return f"a mapping, as in “Each of `{key}`” below"
    if tp is Text:
        return "text in each language"
    if tp is FuzzyDate:
        return "a date: a day, a month or a year"
    if tp is Amount:
        return "an amount, e.g. 4.1 bn USD"
    if tp is bool:
        return "`true` or `false`"
    if tp is int:
        return "a whole number" + _range(meta)
    pattern = _bound(meta, "pattern")
    if pattern == r"^[A-Z]{2}$":
        return "a country code in capitals, e.g. TR"
    if pattern == r"^[a-z]{2}-[a-z]{2}$":
        return f"the pair: {PAIR_RULE}"
    if pattern is not None:
        return REFERS_TO.get(key, "an id: lowercase letters, digits and hyphens")
    return "plain text"


class _Bounds:
    """Constraints as pydantic keeps them (for the examples of _describe)."""

    def __init__(self, **bounds: Any):
        self.__dict__.update(bounds)


def _range(meta: list[Any]) -> str:
    low, high, above = _bound(meta, "ge"), _bound(meta, "le"), _bound(meta, "gt")
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if above is not None:
        return f", {above + 1} or more"
    if low is not None:
        return f", {low} or more"
    return ""


def _bound(meta: list[Any], name: str) -> Any:
    return next((getattr(m, name) for m in meta if getattr(m, name, None) is not None), None)


def _full_type(field: FieldInfo) -> Any:
    """A field's type with its constraints (pydantic keeps them apart)."""
    return Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation


def _unwrap(tp: Any) -> tuple[Any, list[Any]]:
    """The type without Optional and Annotated, and the constraints Annotated carried."""
    meta: list[Any] = []
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp, *extra = get_args(tp)
            for m in extra:
                meta.extend(m.metadata if isinstance(m, FieldInfo) else [m])
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else typing.Any
        else:
            return tp, meta


def _model(tp: Any) -> type[BaseModel] | None:
    tp, _ = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def _list_item(tp: Any) -> type[BaseModel] | None:
    tp, _ = _unwrap(tp)
    return _model(get_args(tp)[0]) if get_origin(tp) is list else None


def _nested_keys(record: type[BaseModel]) -> list[tuple[str, type[BaseModel]]]:
    found = []
    for name, field in record.model_fields.items():
        inner = _list_item(field.annotation) or _model(field.annotation)
        if inner is not None:
            found.append((key_of(name, field), inner))
    return found


def _nested(record: type[BaseModel]) -> list[type[BaseModel]]:
    found = []
    for _, inner in _nested_keys(record):
        found += [inner, *_nested(inner)]
    return found


def _doc(record: type[BaseModel]) -> str:
    return " ".join((record.__doc__ or "").split())


def _indent_item(example: str) -> str:
    """An example record as the first item of a YAML list."""
    lines = example.rstrip("\n").splitlines()
    return "".join(
        ("  - " if i == 0 else "    " if line else "") + line + "\n" for i, line in enumerate(lines)
    )
