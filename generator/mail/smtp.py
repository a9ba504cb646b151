"""Send a composed e-mail through an SMTP server, all recipients or none; say what it answered."""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from generator.errors import BriefError, Finding, UsageError, ValueProblem
from generator.mail.addresses import one_line, parse_server
from generator.mail.message import Mail

DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
PASSWORD_VARIABLE = "BRIEF_SMTP_PASSWORD"
TIMEOUT = 60.0  # seconds of silence from the server
DEADLINE = 120.0  # seconds for a whole sending, however steadily the server drips its answers


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


@dataclass(frozen=True)
class Sent:
    """What the server answered to the message, and what went wrong after it accepted it."""

    answer: str  # e.g. '250 2.0.0 Ok: queued as 4F2A'
    warning: Finding | None = None  # the connection did not end cleanly; the message was sent


def send(
    mail: Mail,
    server: Server,
    password: str | None = None,
    out: Path | None = None,
    *,
    deadline: float | None = None,
) -> Sent:
    """Deliver the message to every recipient, or to none, within `deadline` seconds in all
    (DEADLINE when None); say what the server answered."""
    data = mail.message(draft=False)
    stays = f"nothing was sent; the built files stay in {out}" if out else "nothing was sent"
    kept = f"; the built files stay in {out}" if out else ""
    seconds = DEADLINE if deadline is None else deadline
    client: smtplib.SMTP | None = None
    with _Watchdog(seconds) as watchdog:
        try:
            try:
                client = _open(server, watchdog, min(TIMEOUT, seconds))
                _hello(client, server, password)
                _envelope(client, server, mail, len(data), stays)
                _transmit(client, server, data, stays)
            except (smtplib.SMTPException, OSError) as exc:
                raise _not_sent(exc, server, stays, watchdog) from None
            # the whole message and its end are on their way: from here it may be delivered
            try:
                code, answer = client.getreply()
            except (smtplib.SMTPException, OSError) as exc:
                raise _unknown(exc, server, watchdog, kept) from None
            if 400 <= code < 600:
                later = "the server may take it later: try again; " if code < 500 else ""
                raise _refused(server, "the message", code, answer, later + stays)
            if not 200 <= code < 300:
                raise BriefError(
                    f"the mail server {server} gave an unknown answer to the message: "
                    f"{code} {_text(answer)}",
                    code="mail-unknown",
                    hint="it may or may not have been delivered: ask a recipient before "
                    f"sending it again{kept}",
                )
            return Sent(f"{code} {_text(answer)}", _quit(client, server, code, answer, watchdog))
        finally:
            if client is not None:
                client.close()


class _Watchdog:
    """Cuts the connection once a sending has taken longer than its deadline: a server that
    drips its answers a byte at a time resets the socket's own timeout with every byte."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.client: smtplib.SMTP | None = None  # set before it connects
        self.expired = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="smtp-deadline", daemon=True)

    def __enter__(self) -> _Watchdog:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        if self._done.wait(self.seconds):
            return
        self.expired = True
        while True:  # until the sending gives up: STARTTLS may put a new socket in place
            sock = self.client.sock if self.client is not None else None
            if sock is not None:
                with contextlib.suppress(OSError):  # the plain socket's: TLS state is left alone
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
            if self._done.wait(0.05):
                return


class _Lines:
    """The server's answers line by line: a line cut off by the end of the connection (as the
    watchdog cuts it) is no answer, though its first digits may read like '250'."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw

    def readline(self, limit: int = -1) -> bytes:
        line = self._raw.readline(limit)
        if line and not line.endswith(b"\n") and not 0 < limit <= len(line):
            raise ConnectionAbortedError("the connection ended in the middle of an answer")
        return line

    def close(self) -> None:
        self._raw.close()


class _Watched(smtplib.SMTP):
    """A connection the watchdog can cut, whose answers count only when whole."""

    def getreply(self) -> tuple[int, bytes]:
        if self.file is None and self.sock is not None:  # after connecting and STARTTLS
            self.file = _Lines(self.sock.makefile("rb"))
        return super().getreply()


class _Plain(_Watched):
    def __init__(self, watchdog: _Watchdog, host: str, port: int, timeout: float) -> None:
        watchdog.client = self  # before connecting: a greeting that drips is cut off too
        super().__init__(host, port, timeout=timeout)


class _Tls(_Watched, smtplib.SMTP_SSL):
    def __init__(
        self, watchdog: _Watchdog, host: str, port: int, timeout: float, context: ssl.SSLContext
    ) -> None:
        watchdog.client = self
        super().__init__(host, port, timeout=timeout, context=context)


def _open(server: Server, watchdog: _Watchdog, timeout: float) -> smtplib.SMTP:
    if server.security == "ssl":
        context = ssl.create_default_context()
        return _Tls(watchdog, server.host, server.port, timeout, context)
    return _Plain(watchdog, server.host, server.port, timeout)


def _hello(client: smtplib.SMTP, server: Server, password: str | None) -> None:
    client.ehlo_or_helo_if_needed()
    if server.security == "starttls":
        client.starttls(context=ssl.create_default_context())
        client.ehlo_or_helo_if_needed()
    if server.user:
        client.login(server.user, password or "")


def _envelope(client: smtplib.SMTP, server: Server, mail: Mail, size: int, stays: str) -> None:
    """MAIL FROM and every RCPT TO; one refused recipient and the message goes to nobody."""
    options = [f"SIZE={size}"] if client.has_extn("size") else []
    code, answer = client.mail(mail.sender.addr_spec, options)
    if code != 250:
        raise _refused(server, f"the message from {mail.sender.addr_spec}", code, answer, stays)
    refused = []
    for recipient in mail.recipients:
        code, answer = client.rcpt(recipient.addr_spec)
        if code not in (250, 251):
            refused.append(f"{recipient.addr_spec}: {code} {_text(answer)}")
    if refused:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            client.rset()
        raise BriefError(
            f"the mail server {server} refused "
            f"{'a recipient' if len(refused) == 1 else 'recipients'}: " + "; ".join(refused),
            code="mail-refused",
            hint=f"check the address; {stays}",
        )


def _transmit(client: smtplib.SMTP, server: Server, data: bytes, stays: str) -> None:
    """DATA, then the message and the line with one dot that ends it (the answer is read by
    the caller: once the dot is sent, the message may be delivered)."""
    code, answer = client.docmd("DATA")
    if code != 354:
        raise _refused(server, "the message", code, answer, stays)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    client.send(re.sub(rb"(?m)^\.", b"..", data) + b".\r\n")


def _quit(
    client: smtplib.SMTP, server: Server, code: int, answer: bytes, watchdog: _Watchdog
) -> Finding | None:
    """Say goodbye; an unclean ending after the server took the message is only a warning."""
    try:
        quit_code, quit_answer = client.docmd("QUIT")
    except (smtplib.SMTPException, OSError) as exc:
        if watchdog.expired:
            what = f"it did not answer QUIT within the {watchdog.seconds:g} s of the sending"
        else:
            what = f"the connection broke when saying goodbye ({_reason(exc)})"
    else:
        if quit_code == 221:
            return None
        what = f"it answered {quit_code} {_text(quit_answer)} to QUIT"
    return Finding(
        "brief",
        severity="warning",
        code="mail-quit",
        message=f"the mail server {server} accepted the message ({code} {_text(answer)}), "
        f"then did not end the connection cleanly: {what}",
        hint="the message was sent: do not send it again",
    )


def _not_sent(exc: Exception, server: Server, stays: str, watchdog: _Watchdog) -> BriefError:
    """A failure before the message's end reached the server: nothing can have been sent."""
    if watchdog.expired:
        return BriefError(
            f"the mail server {server} did not finish taking the message within "
            f"{watchdog.seconds:g} s: it answers too slowly",
            code="mail-deadline",
            hint=f"try again later or another server; {stays}",
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return BriefError(
            f"the mail server {server} refused the login of '{server.user}': "
            f"{exc.smtp_code} {_text(exc.smtp_error)}",
            code="mail-login",
            hint=f"check --user and the password ({PASSWORD_VARIABLE}); {stays}",
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return BriefError(
            f"the mail server {server} does not support this: {exc}",
            code="mail-server",
            hint=f"without --starttls or --user it may work; {stays}",
        )
    if isinstance(exc, smtplib.SMTPConnectError | smtplib.SMTPHeloError):
        what = "the connection" if isinstance(exc, smtplib.SMTPConnectError) else "our greeting"
        return _refused(server, what, exc.smtp_code, exc.smtp_error, stays)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _refused(server, "the message", exc.smtp_code, exc.smtp_error, stays)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return BriefError(
            f"the mail server {server} closed the connection: {exc}", code="mail-server", hint=stays
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return BriefError(
            f"the certificate of the mail server {server} is not trusted: {exc.verify_message}",
            code="mail-tls",
            hint="if your organisation has its own certificate authority, set "
            f"SSL_CERT_FILE to its certificate file; {stays}",
        )
    if isinstance(exc, ssl.SSLError):
        return BriefError(
            f"the secure connection to the mail server {server} failed: {exc.reason or exc}",
            code="mail-tls",
            hint=f"--ssl is for port 465, --starttls for port 587; {stays}",
        )
    if isinstance(exc, socket.gaierror):
        return BriefError(
            f"the mail server '{server.host}' is not found",
            code="mail-connect",
            hint=f"check the name in --smtp; {stays}",
        )
    if isinstance(exc, smtplib.SMTPException):
        return BriefError(f"sending through {server} failed: {exc}", code="mail-server", hint=stays)
    return BriefError(
        f"cannot reach the mail server {server}: {_reason(exc)}",
        code="mail-connect",
        hint=f"check the host and port in --smtp; {stays}",
    )


def _unknown(exc: Exception, server: Server, watchdog: _Watchdog, kept: str) -> BriefError:
    """A failure after the whole message was sent and before the server said it took it."""
    if watchdog.expired:
        message = (
            f"the mail server {server} did not say within {watchdog.seconds:g} s whether it "
            "accepted the message, which it had received in full"
        )
    else:
        message = (
            f"the connection to the mail server {server} broke ({_reason(exc)}) after the whole "
            "message was sent, before the server said whether it accepted it"
        )
    return BriefError(
        message,
        code="mail-unknown",
        hint=f"it may have been delivered: ask a recipient before sending it again{kept}",
    )


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


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
