"""E-mail addresses and header values: one plain address each, one line, no disguises."""

from __future__ import annotations

import re
import unicodedata
from email.headerregistry import Address, HeaderRegistry

from generator.errors import ValueProblem

_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
# characters that reorder or hide text: a name could look like another address
_BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REGISTRY = HeaderRegistry()
# an RFC 2047 encoded word, loosely: mail programs decode anything of this shape in a header
ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[^?\s]*\?.*?\?=", re.S)


def shown(value: str) -> str:
    """A value quoted for a message, with line breaks and control characters made visible.

    >>> print(shown("a@b.kz\\nBcc: x@y"))
    'a@b.kz\\nBcc: x@y'
    """
    out = []
    for char in value:
        if char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif _hidden(char):
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI


def line_problem(value: str) -> str | None:
    """What makes `value` unfit for one header line (a line break, a control character), or None.

    >>> line_problem("Briefing note: Kazakhstan – Türkiye")
    >>> line_problem("a\\nb")
    'contains a line break'
    """
    for char in value:
        if char in "\r\n\u2028\u2029\x85\x0b\x0c":
            return "contains a line break"
        if _hidden(char):
            return f"contains the invisible control character U+{ord(char):04X}"
    return None


def header_problem(value: str) -> str | None:
    """What makes plain text unfit for a header, also once a mail program has decoded it: a line
    break, a control character, or an encoded word (`=?utf-8?b?...?=`); None when it is fit.

    Text meant to be plain never carries encoded words: we encode what we write ourselves, and
    a mail program would decode a literal one, line breaks included, into a header of its own.

    >>> header_problem("Briefing note: Kazakhstan – Türkiye")
    >>> print(header_problem("=?utf-8?q?=0A?="))  # doctest: +NORMALIZE_WHITESPACE
    contains the encoded word '=?utf-8?q?=0A?=', which mail programs read as '\\n'
    (a line break, which starts a header of its own)
    """
    problem = line_problem(value)
    if problem:
        return problem
    match = ENCODED_WORD.search(value)
    if match:
        word = decoded_header(match.group())
        inner = line_problem(word) if word is not None else None
        return (
            f"contains the encoded word {shown(match.group())}, which mail programs read as "
            + (shown(word) if word is not None else "something else")
            + (f" ({_what(inner)})" if inner else "")
        )
    decoded = decoded_header(value)
    if decoded is None:
        return "cannot be read as a mail header"
    problem = line_problem(decoded)
    return f"becomes {shown(decoded)} in a mail program and then {problem}" if problem else None


def _what(problem: str) -> str:
    what = problem.removeprefix("contains ")
    return f"{what}, which starts a header of its own" if what == "a line break" else what


def decoded_header(value: str) -> str | None:
    """The text a mail program shows for a header written as `value` (encoded words decoded),
    or None when it cannot be read.

    >>> decoded_header("=?utf-8?q?T=C3=BCrkiye?=")
    'Türkiye'
    """
    try:
        return str(_REGISTRY("Subject", value))
    except (IndexError, ValueError, TypeError, LookupError):
        return None


def one_line(value: str) -> str:
    """A non-empty value fit for one header line (a user name, a subject), else ValueProblem."""
    problem = line_problem(value)
    if problem:
        raise ValueProblem(f"must be one line of plain text, but {shown(value)} {problem}")
    if not value.strip():
        raise ValueProblem("must not be empty")
    return value


def parse_address(value: str) -> Address:
    """One address, optionally with a name (`Name <user@domain>`); anything else is refused.

    >>> parse_address("Әлия Сейтқали <aliya@mfa.kz>").addr_spec
    'aliya@mfa.kz'
    """
    one_line(value)
    if "=?" in value:
        raise ValueProblem(f"must be written plainly, without encoded words: {shown(value)}")
    try:
        header = _REGISTRY("To", value)
        groups = header.groups  # type: ignore[attr-defined]  # an AddressHeader
    except (IndexError, ValueError, TypeError):
        raise ValueProblem(
            f"must be an e-mail address like chief@mfa.kz, got {shown(value)}"
        ) from None
    addresses = [a for g in groups for a in g.addresses]
    if len(addresses) > 1 or any(g.display_name is not None for g in groups):
        raise ValueProblem(f"must be one address, got several: {shown(value)}")
    if not addresses or header.defects or not value.strip():
        raise ValueProblem(f"must be an e-mail address like chief@mfa.kz, got {shown(value)}")
    address = addresses[0]
    if not address.addr_spec.isascii():
        raise ValueProblem(
            f"must be written in Latin letters (a domain in its xn-- form), got {shown(value)}"
        )
    labels = address.domain.split(".")
    if (
        not _LOCAL.match(address.username)
        or len(labels) < 2
        or not all(_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise ValueProblem(f"must be an e-mail address like chief@mfa.kz, got {shown(value)}")
    name = address.display_name
    if any(c in name for c in "@<>"):
        raise ValueProblem(
            f"has a name that could pass for another address: {shown(name)}; "
            "write the name in words, like 'Aliya Seitkali <aliya@mfa.kz>'"
        )
    return address


def parse_server(value: str) -> tuple[str, int | None]:
    """A mail server as HOST or HOST:PORT (an IPv6 address in brackets); the port may be absent.

    >>> parse_server("smtp.mfa.kz:587")
    ('smtp.mfa.kz', 587)
    """
    one_line(value)
    match = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?", value.strip())
    if not match or (match.group(2) and not 0 < int(match.group(2)) < 65536):
        raise ValueProblem(f"must be a mail server like smtp.mfa.kz:587, got {shown(value)}")
    host = match.group(1).strip("[]")
    return host, int(match.group(2)) if match.group(2) else None
