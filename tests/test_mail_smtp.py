"""`brief mail --smtp` against a real SMTP server (aiosmtpd) on 127.0.0.1: plain, STARTTLS, TLS."""

from __future__ import annotations

import email
import shutil
import socket
import ssl
import subprocess
import threading
import time
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import BRIEF_DATE, Cli, copy_project, write

from generator.mail import smtp as smtp_module

NAME = f"{BRIEF_DATE}_kz-tr_background"
KK_SUBJECT = "Анықтама: Қазақстан – Түркия, 2026 жылғы 2 ақпан"
ACCEPTED = "250 2.0.0 Ok: queued as 4F2A"
UNKNOWN = "550 5.1.1 No such mailbox here"


class Inbox:
    """The test server's handler: counts sessions, refuses @unknown.kz, keeps what arrives."""

    def __init__(self) -> None:
        self.sessions = 0
        self.delivered: list = []
        self.address = ""
        self.end = ACCEPTED  # the answer to the end of the message

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@unknown.kz"):
            return UNKNOWN
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.end != ACCEPTED:
            return self.end
        tls = server.transport.get_extra_info("ssl_object") is not None
        self.delivered.append((envelope, tls, session.auth_data))
        return ACCEPTED

    async def handle_QUIT(self, server, session, envelope):
        return self.quit

    quit = "221 Bye"

    def message(self, n: int = 0) -> email.message.EmailMessage:
        return email.message_from_bytes(
            self.delivered[n][0].original_content, policy=policy.default
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data == (b"aliya", b"secret")
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@pytest.fixture
def smtp(monkeypatch):
    """Starts SMTP servers on free ports of 127.0.0.1; all are stopped after the test."""
    monkeypatch.delenv("BRIEF_SMTP_PASSWORD", raising=False)
    started = []

    def start(**kwargs) -> Inbox:
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), **kwargs)
        controller.start()
        started.append(controller)
        inbox.address = f"127.0.0.1:{controller.port}"
        return inbox

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Path:
    """A self-signed certificate for 127.0.0.1, made with openssl; its key lies next to it."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    return folder / "cert.pem"


def server_context(certificate: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, certificate.with_name("key.pem"))
    return context


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    """The shipped project with kz-tr's Kazakh PDF and DOCX built once."""
    root = copy_project(tmp_path_factory.mktemp("smtp") / "project")
    result = Cli(root)(
        "build",
        "kz-tr",
        "--lang",
        "kk",
        "--date",
        BRIEF_DATE,
        "--out",
        str(root / "out"),
        "--jobs",
        "1",
    )
    assert result.exit_code == 0, result.output
    return root


def send(
    root: Path, *args: str, input: str | None = None, lang: str = "kk", formats: str = "pdf,docx"
):
    return Cli(root)(
        "mail",
        "kz-tr",
        "--lang",
        lang,
        "--format",
        formats,
        "--date",
        BRIEF_DATE,
        "--out",
        str(root / "out"),
        "--from",
        "Әлия Сейтқали <aliya@mfa.kz>",
        *args,
        input=input,
    )


def files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / "out").iterdir()}


# ---- delivery ----------------------------------------------------------------------------


def test_message_arrives_with_kazakh_subject_and_identical_attachments(shipped: Path, smtp):
    inbox = smtp()
    result = send(
        shipped, "--to", "Бастық <chief@mfa.kz>", "--cc", "desk@mfa.kz", "--smtp", inbox.address
    )
    assert result.exit_code == 0, result.output
    assert f"through {inbox.address}; the server answered: {ACCEPTED}" in result.output
    assert len(inbox.delivered) == 1
    envelope, tls, login = inbox.delivered[0]
    assert not tls and login is None
    assert envelope.mail_from == "aliya@mfa.kz"
    assert envelope.rcpt_tos == ["chief@mfa.kz", "desk@mfa.kz"]
    msg = inbox.message()
    assert msg["Subject"] == KK_SUBJECT
    assert msg["From"].addresses[0].display_name == "Әлия Сейтқали"
    assert msg["X-Unsent"] is None
    attached = {p.get_filename(): p for p in msg.iter_attachments()}
    assert list(attached) == [f"{NAME}_kk.pdf", f"{NAME}_kk.docx"]
    for name, part in attached.items():
        assert part.get_payload(decode=True) == (shipped / "out" / name).read_bytes()
    assert attached[f"{NAME}_kk.pdf"].get_content_type() == "application/pdf"

    again = send(shipped, "--to", "chief@mfa.kz", "--smtp", inbox.address)
    assert again.exit_code == 0, again.output
    assert inbox.message(1)["Message-ID"] != msg["Message-ID"]  # each sending is its own mail


def test_starttls_and_login_with_the_password_from_the_environment(
    mini: Path, smtp, certificate, monkeypatch
):
    inbox = smtp(
        tls_context=server_context(certificate), require_starttls=True, authenticator=_login
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    monkeypatch.setenv("BRIEF_SMTP_PASSWORD", "secret")
    result = send(
        mini,
        "--to",
        "chief@mfa.kz",
        "--smtp",
        inbox.address,
        "--starttls",
        "--user",
        "aliya",
        lang="en",
        formats="html",
    )
    assert result.exit_code == 0, result.output
    assert "Password" not in result.output
    _envelope, tls, login = inbox.delivered[0]
    assert tls and login == LoginPassword(b"aliya", b"secret")
    assert inbox.message()["Subject"] == "Briefing note: Kazakhstan – Türkiye, 2 February 2026"


def test_the_password_is_asked_for_when_the_environment_has_none(
    mini: Path, smtp, certificate, monkeypatch
):
    inbox = smtp(
        tls_context=server_context(certificate), require_starttls=True, authenticator=_login
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    result = send(
        mini,
        "--to",
        "chief@mfa.kz",
        "--smtp",
        inbox.address,
        "--starttls",
        "--user",
        "aliya",
        input="secret\n",
        lang="en",
        formats="html",
    )
    assert result.exit_code == 0, result.output
    assert "Password of aliya at 127.0.0.1" in result.output
    assert "secret" not in result.output
    assert len(inbox.delivered) == 1


def test_no_password_sends_nothing(mini: Path, smtp, certificate, monkeypatch):
    inbox = smtp(
        tls_context=server_context(certificate), require_starttls=True, authenticator=_login
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    result = send(
        mini,
        "--to",
        "chief@mfa.kz",
        "--smtp",
        inbox.address,
        "--starttls",
        "--user",
        "aliya",
        input="",
        lang="en",
        formats="html",
    )
    assert result.exit_code == 1, result.output
    assert "no password for 'aliya' at 127.0.0.1; nothing was sent" in result.output
    assert "set BRIEF_SMTP_PASSWORD or type the password when asked" in result.output
    assert inbox.sessions == 0


def test_implicit_tls_with_ssl(mini: Path, smtp, certificate, monkeypatch):
    inbox = smtp(ssl_context=server_context(certificate))
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    result = send(
        mini, "--to", "chief@mfa.kz", "--smtp", inbox.address, "--ssl", lang="en", formats="html"
    )
    assert result.exit_code == 0, result.output
    assert inbox.delivered[0][1]  # over TLS


def test_server_and_security_from_brief_yaml(mini: Path, smtp, certificate, monkeypatch):
    inbox = smtp(tls_context=server_context(certificate), require_starttls=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    write(mini / "brief.yaml", f"mail:\n  smtp: {inbox.address}\n  security: starttls\n")
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", lang="en", formats="html")
    assert result.exit_code == 0, result.output
    assert inbox.delivered[0][1]


# ---- failures: the server's answer, nothing sent, the files stay ---------------------------


def test_a_failed_login_reports_the_answer_and_keeps_the_files(
    mini: Path, smtp, certificate, monkeypatch
):
    inbox = smtp(
        tls_context=server_context(certificate), require_starttls=True, authenticator=_login
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
    monkeypatch.setenv("BRIEF_SMTP_PASSWORD", "wrong")
    result = send(
        mini,
        "--to",
        "chief@mfa.kz",
        "--smtp",
        inbox.address,
        "--starttls",
        "--user",
        "aliya",
        lang="en",
        formats="html",
    )
    assert result.exit_code == 1, result.output
    assert (
        f"the mail server {inbox.address} refused the login of 'aliya': "
        "535 5.7.8 Authentication credentials invalid"
    ) in result.output
    assert "nothing was sent; the built files stay in" in result.output
    assert "Traceback" not in result.output
    assert inbox.delivered == []
    assert set(files(mini)) == {"manifest.json", f"{NAME}_en.html"}


def test_a_refused_recipient_sends_to_nobody(shipped: Path, smtp):
    inbox = smtp()
    before = files(shipped)
    result = send(
        shipped, "--to", "chief@mfa.kz", "--cc", "nobody@unknown.kz", "--smtp", inbox.address
    )
    assert result.exit_code == 1, result.output
    assert (
        f"the mail server {inbox.address} refused a recipient: nobody@unknown.kz: {UNKNOWN}"
    ) in result.output
    assert inbox.delivered == []
    assert files(shipped) == before


def test_the_servers_size_limit_is_its_answer(mini: Path, smtp):
    inbox = smtp(data_size_limit=2000)
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", inbox.address, lang="en", formats="html")
    assert result.exit_code == 1, result.output
    assert (
        f"the mail server {inbox.address} refused the message from aliya@mfa.kz: 552"
        in result.output
    )
    assert inbox.delivered == []


def test_an_untrusted_certificate_stops_the_sending(mini: Path, smtp, certificate, monkeypatch):
    inbox = smtp(tls_context=server_context(certificate), require_starttls=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(mini / "no-such-ca.pem"))
    result = send(
        mini,
        "--to",
        "chief@mfa.kz",
        "--smtp",
        inbox.address,
        "--starttls",
        lang="en",
        formats="html",
    )
    assert result.exit_code == 1, result.output
    assert f"the certificate of the mail server {inbox.address} is not trusted" in result.output
    assert "SSL_CERT_FILE" in result.output
    assert inbox.delivered == []


def test_no_server_listening(mini: Path):
    port = _free_port()
    result = send(
        mini, "--to", "chief@mfa.kz", "--smtp", f"127.0.0.1:{port}", lang="en", formats="html"
    )
    assert result.exit_code == 1, result.output
    assert f"cannot reach the mail server 127.0.0.1:{port}" in result.output
    assert (mini / "out" / f"{NAME}_en.html").exists()


# ---- nothing reaches the server ----------------------------------------------------------


def test_header_injection_in_an_address_never_reaches_the_server(mini: Path, smtp):
    inbox = smtp()
    result = send(
        mini, "--to", "a@b.kz\nBcc: x@y.kz", "--smtp", inbox.address, lang="en", formats="html"
    )
    assert result.exit_code == 1, result.output
    assert "'a@b.kz\\nBcc: x@y.kz' contains a line break" in result.output
    assert inbox.sessions == 0 and inbox.delivered == []


def test_a_line_break_in_the_subject_from_the_facts_never_reaches_the_server(mini: Path, smtp):
    inbox = smtp()
    subject = mini / "templates" / "mail" / "subject.txt"
    subject.write_text("{{ d.key_dates[0].text|t }}\n", encoding="utf-8")
    dossier = mini / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8").replace(
            "en: Diplomatic relations established}", 'en: "Relations\\r\\nBcc: spy@evil.example"}'
        ),
        encoding="utf-8",
    )
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", inbox.address, lang="en", formats="html")
    assert result.exit_code == 1, result.output
    assert (
        "briefs/kz-tr.yaml:6: error: the e-mail subject contains a line break: "
        "'Relations\\r\\nBcc: spy@evil.example'" in result.output
    )
    assert inbox.sessions == 0 and inbox.delivered == []


def test_too_big_is_refused_before_connecting(mini: Path, smtp):
    inbox = smtp()
    write(mini / "brief.yaml", "mail:\n  max_size_mb: 0.001\n")
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", inbox.address, lang="en", formats="html")
    assert result.exit_code == 1, result.output
    assert "over the limit of 0.001 MB (attached: " in result.output
    assert inbox.sessions == 0


def test_a_password_is_never_sent_unencrypted(mini: Path, smtp):
    inbox = smtp()
    result = send(
        mini,
        "--to",
        "chief@mfa.kz",
        "--smtp",
        inbox.address,
        "--user",
        "aliya",
        lang="en",
        formats="html",
    )
    assert result.exit_code == 1, result.output
    assert "logging in to 127.0.0.1 as 'aliya' would send the password unencrypted" in result.output
    assert "add --starttls (port 587) or --ssl (port 465)" in result.output
    assert inbox.sessions == 0


# ---- the server's every answer, and what it means for the message --------------------------


@pytest.mark.parametrize(
    "answer,later",
    [("554 5.7.1 Message rejected as spam", False), ("452 4.3.1 Insufficient storage", True)],
)
def test_a_refusal_at_the_end_of_the_message_sends_nothing(mini: Path, smtp, answer, later):
    inbox = smtp()
    inbox.end = answer
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", inbox.address, lang="en", formats="html")
    assert result.exit_code == 1, result.output
    assert f"the mail server {inbox.address} refused the message: {answer}" in result.output
    assert "nothing was sent; the built files stay in" in result.output
    assert ("the server may take it later: try again" in result.output) == later
    assert 'sent "' not in result.output and "Traceback" not in result.output
    assert inbox.sessions == 1 and inbox.delivered == []


def test_an_unclean_goodbye_after_acceptance_is_a_warning_not_a_failure(mini: Path, smtp):
    inbox = smtp()
    inbox.quit = "421 4.3.2 Service shutting down"
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", inbox.address, lang="en", formats="html")
    assert result.exit_code == 0, result.output
    assert f"the server answered: {ACCEPTED}" in result.output
    assert (
        f"brief: warning: the mail server {inbox.address} accepted the message ({ACCEPTED}), "
        "then did not end the connection cleanly: it answered 421 4.3.2 Service shutting down "
        "to QUIT"
    ) in result.output
    assert "the message was sent: do not send it again" in result.output
    assert "nothing was sent" not in result.output
    assert len(inbox.delivered) == 1


class Scripted:
    """A raw SMTP server on 127.0.0.1 for one connection, in a thread, that misbehaves on cue:
    `drip` ('greeting' or 'end') sends that answer a byte at a time; `end` or `quit` None
    closes the connection instead of answering the end of the message or QUIT."""

    GREETING = b"220 slow.example ESMTP at your service\r\n"

    def __init__(self, *, drip=None, end=b"250 2.0.0 queued as 77\r\n", quit=b"221 Bye\r\n"):
        self.drip, self.end, self.quit = drip, end, quit
        self.received = b""
        self.dripped = 0  # bytes of a dripped answer that were sent
        self.cut = False  # the client went away in the middle of a dripped answer
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _say(self, conn: socket.socket, answer: bytes, drip: bool) -> bool:
        if not drip:
            conn.sendall(answer)
            return True
        for byte in answer:
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                self.cut = True
                return False
            self.dripped += 1
            time.sleep(0.25)
        return True

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn, conn.makefile("rb") as reader:
            conn.settimeout(30)
            if not self._say(conn, self.GREETING, self.drip == "greeting"):
                return
            while line := reader.readline():
                verb = line[:4].upper()
                if verb == b"EHLO":
                    conn.sendall(b"250-slow.example\r\n250 8BITMIME\r\n")
                elif verb in (b"MAIL", b"RCPT"):
                    conn.sendall(b"250 OK\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    while (line := reader.readline()) not in (b".\r\n", b""):
                        self.received += line
                    if self.end is None or not self._say(conn, self.end, self.drip == "end"):
                        return
                elif verb == b"QUIT":
                    if self.quit is not None:
                        conn.sendall(self.quit)
                    return
                else:
                    conn.sendall(b"500 unknown\r\n")

    def stop(self) -> None:
        self.thread.join(timeout=20)
        self.listener.close()
        assert not self.thread.is_alive()


@pytest.fixture
def scripted():
    started = []

    def start(**kwargs) -> Scripted:
        server = Scripted(**kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_a_dropped_goodbye_after_acceptance_is_a_warning(mini: Path, scripted):
    server = scripted(quit=None)
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", server.address, lang="en", formats="html")
    assert result.exit_code == 0, result.output
    assert "the server answered: 250 2.0.0 queued as 77" in result.output
    assert (
        f"the mail server {server.address} accepted the message (250 2.0.0 queued as 77), then "
        "did not end the connection cleanly: the connection broke when saying goodbye"
    ) in result.output
    assert "nothing was sent" not in result.output
    assert b"Subject: Briefing note: Kazakhstan" in server.received


def test_a_connection_lost_before_the_answer_may_have_delivered(mini: Path, scripted):
    server = scripted(end=None)
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", server.address, lang="en", formats="html")
    assert result.exit_code == 1, result.output
    assert (
        f"the connection to the mail server {server.address} broke (Connection unexpectedly "
        "closed) after the whole message was sent, before the server said whether it accepted it"
    ) in result.output
    assert "it may have been delivered: ask a recipient before sending it again" in result.output
    assert "nothing was sent" not in result.output and 'sent "' not in result.output
    assert b"Subject: Briefing note: Kazakhstan" in server.received


def test_a_dripping_greeting_ends_at_the_deadline_and_nothing_is_sent(
    mini: Path, scripted, monkeypatch
):
    monkeypatch.setattr(smtp_module, "DEADLINE", 1.5)
    server = scripted(drip="greeting")
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", server.address, lang="en", formats="html")
    assert result.exit_code == 1, result.output
    assert (
        f"the mail server {server.address} did not finish taking the message within 1.5 s: "
        "it answers too slowly"
    ) in result.output
    assert "nothing was sent; the built files stay in" in result.output
    server.stop()
    assert server.cut and server.dripped < len(Scripted.GREETING)  # cut off mid-greeting
    assert server.received == b""


def test_a_dripping_answer_to_the_message_ends_at_the_deadline_as_maybe_delivered(
    mini: Path, scripted, monkeypatch
):
    monkeypatch.setattr(smtp_module, "DEADLINE", 1.5)
    server = scripted(drip="end", end=b"250 2.0.0 queued as 77, very slowly indeed\r\n")
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", server.address, lang="en", formats="html")
    assert result.exit_code == 1, result.output
    assert (
        f"the mail server {server.address} did not say within 1.5 s whether it accepted the "
        "message, which it had received in full"
    ) in result.output
    assert "it may have been delivered: ask a recipient before sending it again" in result.output
    assert "nothing was sent" not in result.output
    server.stop()
    assert server.cut and b"Subject: Briefing note: Kazakhstan" in server.received


def test_an_encoded_word_in_the_subject_never_reaches_the_server(mini: Path, smtp):
    inbox = smtp()
    house = mini / "templates" / "house" / "en.yaml"
    house.write_text(
        house.read_text(encoding="utf-8").replace(
            "TR: {short: Türkiye,", 'TR: {short: "Türkiye =?utf-8?b?DQpCY2M6IGV2aWxAeC5reg==?=",'
        ),
        encoding="utf-8",
    )
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", inbox.address, lang="en", formats="html")
    assert result.exit_code == 1, result.output
    line = 1 + house.read_text(encoding="utf-8").split("=?utf-8?b?")[0].count("\n")
    assert (
        f"templates/house/en.yaml:{line}: error: the e-mail subject contains the encoded word "
        "'=?utf-8?b?DQpCY2M6IGV2aWxAeC5reg==?='"
    ) in result.output
    assert inbox.sessions == 0 and inbox.delivered == []

    clean = smtp()
    house.write_text(
        house.read_text(encoding="utf-8").replace(" =?utf-8?b?DQpCY2M6IGV2aWxAeC5reg==?=", ""),
        encoding="utf-8",
    )
    result = send(mini, "--to", "chief@mfa.kz", "--smtp", clean.address, lang="en", formats="html")
    assert result.exit_code == 0, result.output
    envelope = clean.delivered[0][0]
    assert envelope.rcpt_tos == ["chief@mfa.kz"]  # the envelope holds only the recipients given
    msg = clean.message()
    assert sorted(msg.keys()) == sorted(
        [
            "From",
            "To",
            "Subject",
            "Date",
            "Message-ID",
            "Content-Type",
            "MIME-Version",
            "Content-Language",
        ]
    )
    assert msg["Bcc"] is None
