"""An e-mail with files attached, as RFC 5322 bytes: a reproducible draft or a message to send."""

from __future__ import annotations

import datetime as dt
import hashlib
import quopri
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

# the contract's formats and their media types
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html",
}
MB = 1024 * 1024


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

    def size(self) -> int:
        """The size of the message as it travels (attachments in base64)."""
        return len(self.message(draft=True))

    def message(self, *, draft: bool, sent: dt.datetime | None = None) -> bytes:
        """The RFC 5322 message: a draft is reproducible (Date and Message-ID from the brief's
        date and content); a message to send gets the time of sending and a unique id."""
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
        return msg.as_bytes(policy=policy.SMTP)


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
