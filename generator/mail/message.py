"""An e-mail with files attached, as RFC 5322 bytes: a reproducible draft or a message to send."""

from __future__ import annotations

import datetime as dt
import hashlib
import quopri
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from generator.errors import BriefError
from generator.mail.addresses import header_problem, shown

# the contract's formats and their media types
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
}
MB = 1024 * 1024
# the only headers a part of the message carries (the message's own are listed in `message`)
PART_HEADERS = {"content-type", "content-transfer-encoding", "content-disposition"}


@dataclass(frozen=True)
class Attachment:
    """One built file of the brief, attached under its contract name."""

    name: str
    path: Path
    data: bytes = field(repr=False)

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.name.rsplit(".", 1)[1]]


@dataclass
class Mail:
    """A composed e-mail: who sends it to whom, its subject, bodies and attachments."""

    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    subject: str
    text: str
    html: str
    lang: str
    date: dt.date
    attachments: list[Attachment]
    zone: dt.tzinfo = dt.UTC  # where the Date header's time is read (the ministry's)

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc

    def header_problems(self) -> list[str]:
        """What of the text we put in headers (subject, names, addresses, file names, language)
        is not plain one-line text, also once a mail program has decoded it."""
        values = [("the subject", self.subject), ("the language", self.lang)]
        for address in (self.sender, *self.recipients):
            values.append((f"the name of {address.addr_spec!r}", address.display_name))
            values.append(("an address", address.addr_spec))
        values += [("the attached file name", a.name) for a in self.attachments]
        return [
            f"{what} {problem}: {shown(value)}"
            for what, value in values
            if (problem := header_problem(value))
        ]

    def size(self) -> int:
        """The size of the message as it travels (attachments in base64)."""
        return len(self.message(draft=True))

    def message(self, *, draft: bool, sent: dt.datetime | None = None) -> bytes:
        """The RFC 5322 message: a draft is reproducible (Date and Message-ID from the brief's
        date and content); a message to send gets the time of sending and a unique id."""
        problems = self.header_problems()
        if problems:
            raise BriefError(
                "the e-mail's headers would not be plain text: " + "; ".join(problems),
                code="mail-header",
                hint="write these as plain text on one line; nothing was written or sent",
            )
        digest = hashlib.sha256()
        for part in (
            self.sender,
            *self.to,
            "|",
            *self.cc,
            "|",
            self.subject,
            self.lang,
            self.date.isoformat(),
            self.text,
            self.html,
        ):
            digest.update(str(part).encode("utf-8") + b"\0")
        for attachment in self.attachments:
            digest.update(attachment.name.encode() + b"\0" + attachment.data + b"\0")
        key = digest.hexdigest()
        msg = EmailMessage(policy=policy.default)
        msg["From"] = self.sender
        msg["To"] = self.to
        if self.cc:
            msg["Cc"] = self.cc
        msg["Subject"] = self.subject
        if draft:
            msg["Date"] = format_datetime(dt.datetime.combine(self.date, dt.time(), self.zone))
            msg["Message-ID"] = f"<{key[:32]}@{self.sender.domain}>"
            msg["X-Unsent"] = "1"  # mail clients open the file as a draft to send
        else:
            msg["Date"] = format_datetime(sent or dt.datetime.now(self.zone))
            msg["Message-ID"] = make_msgid("brief", domain=self.sender.domain)
        msg.set_content(self.text, cte=_transfer_encoding(self.text))
        msg.add_alternative(self.html, subtype="html", cte=_transfer_encoding(self.html))
        for attachment in self.attachments:
            maintype, subtype = attachment.media_type.split("/")
            params = {"charset": "utf-8"} if maintype == "text" else None
            msg.add_attachment(
                attachment.data, maintype, subtype, filename=attachment.name, params=params
            )
        msg["Content-Language"] = self.lang  # after the content: set_content clears Content-*
        for n, part in enumerate(p for p in msg.walk() if p.is_multipart()):
            part.set_boundary(f"=_brief_{key[32:48]}_{n}")  # never in base64 or QP text
        for part in msg.walk():
            if part is not msg:
                del part["MIME-Version"]  # only the message itself carries it
        data = msg.as_bytes(policy=policy.SMTP)
        self._verify(data, [name.lower() for name in msg.keys()])
        return data

    def _verify(self, data: bytes, headers: list[str]) -> None:
        """Read the message back as a mail program would: the headers are exactly ours and say
        what we wrote (a last guard: the values were checked before they were written)."""
        parsed = message_from_bytes(data, policy=policy.default)
        found = [name.lower() for name in parsed.keys()]
        parts = [p for p in parsed.walk() if p is not parsed]
        extra = sorted(
            {*found} - {*headers}
            | {name.lower() for p in parts for name in p.keys()} - PART_HEADERS
        )
        names = [p.get_filename() for p in parts if p.get_filename() is not None]
        if (
            extra
            or sorted(found) != sorted(headers)
            or parsed["Subject"] != self.subject
            or names != [a.name for a in self.attachments]
        ):
            raise BriefError(
                "the e-mail would not read back as written"
                + (f": it would carry the headers {', '.join(extra)}" if extra else ""),
                code="mail-header",
                hint="write the subject, names and addresses as plain text; "
                "nothing was written or sent",
            )


def _transfer_encoding(text: str) -> str:
    """Quoted-printable for mostly Latin text, base64 for Cyrillic (the shorter of the two).

    >>> _transfer_encoding("Briefing note"), _transfer_encoding("Анықтама")
    ('quoted-printable', 'base64')
    """
    data = text.encode("utf-8")
    return (
        "quoted-printable"
        if len(quopri.encodestring(data)) <= (len(data) + 2) // 3 * 4
        else "base64"
    )


def human_size(n: int) -> str:
    """A size in KB or MB for messages.

    >>> human_size(2_500_000), human_size(53_000)
    ('2.4 MB', '52 KB')
    """
    return f"{n / MB:.1f} MB" if n >= MB / 10 else f"{max(1, round(n / 1024))} KB"
