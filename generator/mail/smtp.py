"""Send a composed e-mail through an SMTP server, all recipients or none; say what it answered."""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generator.errors import BriefError, UsageError, ValueProblem
from generator.mail.addresses import one_line, parse_server
from generator.mail.message import Mail

DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
PASSWORD_VARIABLE = "BRIEF_SMTP_PASSWORD"
TIMEOUT = 60.0


class ServerDefaults(Protocol):
    """The project's defaults for sending (brief.yaml `mail:`)."""

    smtp: str | None
    security: str
    user: str | None


@dataclass(frozen=True)
class Server:
    """Where to send: host, port, how the connection is secured, whom to log in as."""

    host: str
    port: int
    security: str  # none | starttls | ssl
    user: str | None = None

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def server_for(
    config: ServerDefaults,
    smtp: str,
    *,
    starttls: bool = False,
    use_ssl: bool = False,
    user: str | None = None,
) -> Server:
    """The server from --smtp (or brief.yaml when it is given alone) and the security flags."""
    if starttls and use_ssl:
        raise UsageError(
            "give --starttls or --ssl, not both",
            hint="--starttls for port 587, --ssl for port 465",
            code="usage",
        )
    value = smtp or config.smtp
    if not value:
        raise UsageError(
            "which mail server? give --smtp HOST:PORT, e.g. --smtp smtp.mfa.kz:587",
            hint="or set 'mail: smtp: HOST:PORT' in brief.yaml and give --smtp alone",
            code="usage",
        )
    try:
        host, port = parse_server(value)
    except ValueProblem as exc:
        raise UsageError(f"--smtp {exc}", code="usage") from None
    try:
        if user is not None:
            one_line(user)
    except ValueProblem as exc:
        raise UsageError(f"--user {exc}", code="usage") from None
    security = "ssl" if use_ssl else "starttls" if starttls else config.security
    user = user or config.user
    if user and security == "none":
        raise BriefError(
            f"logging in to {host} as '{user}' would send the password unencrypted",
            hint="add --starttls (port 587) or --ssl (port 465), or set "
            "'mail: security: starttls' in brief.yaml",
            code="mail-insecure",
        )
    return Server(host, port or DEFAULT_PORTS[security], security, user)


def send(mail: Mail, server: Server, password: str | None = None, out: Path | None = None) -> str:
    """Deliver the message to every recipient, or to none; return the server's answer."""
    data = mail.message(draft=False)
    stays = f"nothing was sent; the built files stay in {out}" if out else "nothing was sent"
    context = ssl.create_default_context()
    try:
        client: smtplib.SMTP
        if server.security == "ssl":
            client = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
        with client:
            client.ehlo()
            if server.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if server.user:
                client.login(server.user, password or "")
            options = [f"SIZE={len(data)}"] if client.has_extn("size") else []
            code, answer = client.mail(mail.sender.addr_spec, options)
            if code != 250:
                raise _refused(
                    server, f"the message from {mail.sender.addr_spec}", code, answer, stays
                )
            refused = []
            for recipient in mail.recipients:
                code, answer = client.rcpt(recipient.addr_spec)
                if code not in (250, 251):
                    refused.append(f"{recipient.addr_spec}: {code} {_text(answer)}")
            if refused:
                client.rset()
                raise BriefError(
                    f"the mail server {server} refused "
                    f"{'a recipient' if len(refused) == 1 else 'recipients'}: "
                    + "; ".join(refused),
                    code="mail-refused",
                    hint=f"check the address; {stays}",
                )
            code, answer = client.data(data)
            return f"{code} {_text(answer)}"
    except smtplib.SMTPAuthenticationError as exc:
        raise BriefError(
            f"the mail server {server} refused the login of '{server.user}': "
            f"{exc.smtp_code} {_text(exc.smtp_error)}",
            code="mail-login",
            hint=f"check --user and the password ({PASSWORD_VARIABLE}); {stays}",
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise BriefError(
            f"the mail server {server} does not support this: {exc}",
            code="mail-server",
            hint=f"without --starttls or --user it may work; {stays}",
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise _refused(server, "the message", exc.smtp_code, exc.smtp_error, stays) from None
    except smtplib.SMTPServerDisconnected as exc:
        raise BriefError(
            f"the mail server {server} closed the connection: {exc}", code="mail-server", hint=stays
        ) from None
    except ssl.SSLCertVerificationError as exc:
        raise BriefError(
            f"the certificate of the mail server {server} is not trusted: {exc.verify_message}",
            code="mail-tls",
            hint="if your organisation has its own certificate authority, set "
            f"SSL_CERT_FILE to its certificate file; {stays}",
        ) from None
    except ssl.SSLError as exc:
        raise BriefError(
            f"the secure connection to the mail server {server} failed: {exc.reason or exc}",
            code="mail-tls",
            hint=f"--ssl is for port 465, --starttls for port 587; {stays}",
        ) from None
    except socket.gaierror:
        raise BriefError(
            f"the mail server '{server.host}' is not found",
            code="mail-connect",
            hint=f"check the name in --smtp; {stays}",
        ) from None
    except smtplib.SMTPException as exc:
        raise BriefError(
            f"sending through {server} failed: {exc}", code="mail-server", hint=stays
        ) from None
    except OSError as exc:
        raise BriefError(
            f"cannot reach the mail server {server}: {exc.strerror or exc}",
            code="mail-connect",
            hint=f"check the host and port in --smtp; {stays}",
        ) from None


def _text(answer: bytes | str) -> str:
    if isinstance(answer, bytes):
        answer = answer.decode("utf-8", "replace")
    return " ".join(answer.split())


def _refused(server: Server, what: str, code: int, answer: bytes | str, stays: str) -> BriefError:
    return BriefError(
        f"the mail server {server} refused {what}: {code} {_text(answer)}",
        code="mail-refused",
        hint=stays,
    )
