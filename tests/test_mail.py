"""`brief mail --eml`: the draft's headers, bodies and attachments, read by Python and by mutt."""

from __future__ import annotations

import email
import fcntl
import os
import pty
import select
import shutil
import struct
import subprocess
import termios
import time
from email import policy
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, Cli, built_copy, plain, write

NAME = f"{BRIEF_DATE}_kz-tr_background"
SENDER = "Әлия Сейтқали <aliya@mfa.kz>"
KK_SUBJECT = "Анықтама: Қазақстан – Түркия, 2026 жылғы 2 ақпан"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    """The shipped project with kz-tr's Kazakh brief built once in all three formats."""
    folder = tmp_path_factory.mktemp("mail")
    return built_copy(folder, "kz-tr", "--lang", "kk", "--format", "pdf,docx,html", "--jobs", "1")


def mail(root: Path, *args: str, input: str | None = None):
    return Cli(root)(
        "mail", "kz-tr", "--date", BRIEF_DATE, "--out", str(root / "out"), *args, input=input
    )


def parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def dossier_summary(root: Path, lang: str) -> list[str]:
    from generator.facts.project import load_project

    return [fact.text.get(lang) for fact in load_project(root, ["kz-tr"]).dossiers["kz-tr"].summary]


# ---- the draft ---------------------------------------------------------------------------


def test_draft_has_kazakh_headers_summary_and_the_built_files(shipped: Path, tmp_path: Path):
    out = shipped / "out"
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    eml = tmp_path / "brief.eml"
    result = mail(
        shipped,
        "--lang",
        "kk",
        "--to",
        "Бастық <chief@mfa.kz>",
        "--cc",
        "desk@mfa.kz",
        "--from",
        SENDER,
        "--format",
        "pdf,docx,html",
        "--eml",
        str(eml),
    )
    assert result.exit_code == 0, result.output
    assert "0 built, 0 failed, 3 up to date" in result.output
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before

    raw = eml.read_bytes()
    assert raw.isascii() and b"\r\n" in raw  # 7-bit clean, CRLF: any mail client reads it
    msg = parse(eml)
    assert msg["Subject"] == KK_SUBJECT
    assert "=?utf-8?" in raw.split(b"\r\n\r\n")[0].decode()  # RFC 2047 on the wire
    assert msg["From"].addresses[0].display_name == "Әлия Сейтқали"
    assert msg["From"].addresses[0].addr_spec == "aliya@mfa.kz"
    assert [a.addr_spec for a in msg["To"].addresses] == ["chief@mfa.kz"]
    assert msg["To"].addresses[0].display_name == "Бастық"
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["desk@mfa.kz"]
    assert msg["Date"] == "Mon, 02 Feb 2026 00:00:00 +0500"
    assert msg["Message-ID"].endswith("@mfa.kz>")
    assert msg["X-Unsent"] == "1"
    assert msg["Content-Language"] == "kk"
    assert not msg.defects and all(not part.defects for part in msg.walk())

    text = plain(msg.get_body(("plain",)).get_content())
    body = plain(msg.get_body(("html",)).get_content())
    for paragraph in dossier_summary(shipped, "kk"):
        assert paragraph in text
        assert paragraph in body
    assert '<section id="summary">' in body
    assert 'class="cite"' not in body and "[1]" not in text  # markers point into the brief
    for ext in ("pdf", "docx", "html"):
        assert f"{NAME}_kk.{ext}" in text

    attached = {part.get_filename(): part for part in msg.iter_attachments()}
    assert list(attached) == [f"{NAME}_kk.pdf", f"{NAME}_kk.docx", f"{NAME}_kk.html"]
    types = {name: part.get_content_type() for name, part in attached.items()}
    assert types == {
        f"{NAME}_kk.pdf": "application/pdf",
        f"{NAME}_kk.docx": DOCX,
        f"{NAME}_kk.html": "text/html",
    }
    for name, part in attached.items():
        assert part.get_content_disposition() == "attachment"
        assert part.get_payload(decode=True) == (out / name).read_bytes()


def test_draft_is_reproducible_and_the_russian_subject_follows_house_style(
    shipped: Path, tmp_path: Path
):
    drafts = []
    for n in (1, 2):
        target = tmp_path / f"draft{n}.eml"
        result = mail(
            shipped, "--lang", "ru", "--to", "chief@mfa.kz", "--from", SENDER, "--eml", str(target)
        )
        assert result.exit_code == 0, result.output
        drafts.append(target.read_bytes())
    assert "1 built" not in result.output  # the second run reuses the built files
    assert drafts[0] == drafts[1]
    msg = email.message_from_bytes(drafts[0], policy=policy.default)
    assert msg["Subject"] == "Справка: Казахстан – Турция, 2 февраля 2026 г."
    assert [p.get_filename() for p in msg.iter_attachments()] == [
        f"{NAME}_ru.pdf",
        f"{NAME}_ru.docx",
    ]


def test_without_a_summary_the_first_section_is_quoted(mini: Path, tmp_path: Path):
    eml = tmp_path / "brief.eml"
    result = Cli(mini)(
        "mail",
        "kz-tr",
        "--lang",
        "en",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(mini / "out"),
        "--to",
        "chief@mfa.kz",
        "--from",
        "aliya@mfa.kz",
        "--eml",
        str(eml),
    )
    assert result.exit_code == 0, result.output
    msg = parse(eml)
    assert msg["Subject"] == "Briefing note: Kazakhstan – Türkiye, 2 February 2026"
    text = plain(msg.get_body(("plain",)).get_content())
    assert "Key dates" in text and "Diplomatic relations established" in text
    assert '<section id="key-dates">' in msg.get_body(("html",)).get_content()


def test_defaults_come_from_brief_yaml(mini: Path, tmp_path: Path):
    write(
        mini / "brief.yaml",
        "mail:\n  sender: Aliya Seitkali <aliya@mfa.kz>\n"
        "  recipients:\n    kz-tr: [chief@mfa.kz, desk@mfa.kz]\n  cc:\n    kz-tr: [ops@mfa.kz]\n",
    )
    eml = tmp_path / "brief.eml"
    result = Cli(mini)(
        "mail",
        "kz-tr",
        "--lang",
        "en",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(mini / "out"),
        "--eml",
        str(eml),
    )
    assert result.exit_code == 0, result.output
    msg = parse(eml)
    assert str(msg["From"]) == "Aliya Seitkali <aliya@mfa.kz>"
    assert [a.addr_spec for a in msg["To"].addresses] == ["chief@mfa.kz", "desk@mfa.kz"]
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["ops@mfa.kz"]


# ---- a second mail reader: mutt ----------------------------------------------------------


def mutt_read(eml: Path, attachments: int, work: Path) -> tuple[str, dict[str, bytes]]:
    """Let mutt open the draft read-only, pipe it decoded and save each attachment.

    mutt is interactive: it runs on a pseudo-terminal that nobody types into, and its keys
    are pushed with -e. Its attachment menu lists the text alternative (3 entries) first.
    """
    maildir = work / "maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    shutil.copy(eml, maildir / "cur" / "1.draft:2,S")
    saved = work / "saved"
    saved.mkdir()
    muttrc = write(
        work / "muttrc",
        f"""\
set charset="utf-8"
set attach_save_dir="{saved}"
set pipe_decode=yes
set wait_key=no
set confirmcreate=no
set header_cache=""
set mail_check=0
set folder="{work}"
""",
    )
    keys = f"<pipe-message>cat > {saved}/decoded.txt<enter><view-attachments>"
    for n in range(attachments):
        keys += "<first-entry>" + "<next-entry>" * (3 + n) + "<save-entry><enter>"
    keys += "<exit><quit>"
    master, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    proc = subprocess.Popen(
        ["mutt", "-n", "-F", str(muttrc), "-R", "-f", str(maildir), "-e", f'push "{keys}"'],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=work,
        start_new_session=True,
        env={
            "TERM": "xterm",
            "LANG": "C.UTF-8",
            "HOME": str(work),
            "SHELL": "/bin/sh",
            "PATH": "/usr/bin:/bin",
        },
    )
    os.close(terminal)
    deadline = time.monotonic() + 60
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    os.read(master, 65536)  # the screen: read so that mutt never blocks
                except OSError:
                    break
        assert proc.wait(timeout=max(1.0, deadline - time.monotonic())) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    decoded = (saved / "decoded.txt").read_text(encoding="utf-8")
    files = {p.name: p.read_bytes() for p in saved.iterdir() if p.name != "decoded.txt"}
    return decoded, files


@pytest.mark.skipif(not shutil.which("mutt"), reason="mutt is not installed (./setup --test)")
def test_mutt_reads_the_draft_and_saves_identical_attachments(shipped: Path, tmp_path: Path):
    eml = tmp_path / "brief.eml"
    result = mail(
        shipped,
        "--lang",
        "kk",
        "--to",
        "chief@mfa.kz",
        "--from",
        SENDER,
        "--format",
        "pdf,docx,html",
        "--eml",
        str(eml),
    )
    assert result.exit_code == 0, result.output
    decoded, files = mutt_read(eml, 3, tmp_path / "mutt")
    headers = decoded.split("\n\n", 1)[0].replace("\n ", " ").replace("\n\t", " ")
    assert f"Subject: {KK_SUBJECT}" in headers.splitlines()
    assert "From: Әлия Сейтқали <aliya@mfa.kz>" in headers.splitlines()
    assert dossier_summary(shipped, "kk")[0] in plain(decoded)
    out = shipped / "out"
    assert sorted(files) == sorted(f"{NAME}_kk.{ext}" for ext in ("pdf", "docx", "html"))
    for name, data in files.items():
        assert data == (out / name).read_bytes(), name


# ---- safety ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "option,value,message",
    [
        (
            "--to",
            "a@b.kz\nBcc: x@y.kz",
            "the address given to --to must be one line of plain text, but 'a@b.kz\\nBcc: x@y.kz' "
            "contains a line break",
        ),
        ("--cc", "a@b.kz\r\nBcc: x@y.kz", "contains a line break"),
        (
            "--to",
            '"chief@mfa.kz" <x@evil.example>',
            "the address given to --to has a name that could pass for another address: "
            "'chief@mfa.kz'",
        ),
        ("--to", "a@b.kz, x@y.kz", "the address given to --to must be one address, got several"),
        ("--to", "Chief\u202e <a@b.kz>", "contains the invisible control character U+202E"),
        (
            "--from",
            "aliya@mfa",
            "the address given to --from must be an e-mail address like "
            "chief@mfa.kz, got 'aliya@mfa'",
        ),
    ],
)
def test_bad_addresses_are_refused_before_anything_is_built(
    mini: Path, tmp_path: Path, option, value, message
):
    eml = write(tmp_path / "brief.eml", "an earlier draft\n")
    args = {"--to": "chief@mfa.kz", "--from": "aliya@mfa.kz"}
    args[option] = value
    argv = [a for k, v in args.items() for a in (k, v)]
    result = Cli(mini)(
        "mail",
        "kz-tr",
        "--lang",
        "en",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(mini / "out"),
        *argv,
        "--eml",
        str(eml),
    )
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "give one plain address per" in result.output
    assert "Traceback" not in result.output
    assert eml.read_text() == "an earlier draft\n"
    assert not (mini / "out").exists()


def test_a_line_break_from_the_facts_never_reaches_the_subject(mini: Path, tmp_path: Path):
    subject = mini / "templates" / "mail" / "subject.txt"
    subject.write_text(
        subject.read_text(encoding="utf-8").rstrip("\n") + " – {{ d.key_dates[0].text|t }}\n",
        encoding="utf-8",
    )
    dossier = mini / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8").replace(
            "en: Diplomatic relations established}",
            'en: "Relations established\\nBcc: spy@evil.example"}',
        ),
        encoding="utf-8",
    )
    eml = tmp_path / "brief.eml"
    result = Cli(mini)(
        "mail",
        "kz-tr",
        "--lang",
        "en",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(mini / "out"),
        "--to",
        "chief@mfa.kz",
        "--from",
        "aliya@mfa.kz",
        "--eml",
        str(eml),
    )
    assert result.exit_code == 1, result.output
    assert (
        "briefs/kz-tr.yaml:6: error: the e-mail subject contains a line break: "
        "'Briefing note: Kazakhstan – Türkiye, 2 February 2026 – Relations established"
        "\\nBcc: spy@evil.example'"
    ) in result.output
    assert "a subject is one line" in result.output
    assert not eml.exists()
    assert (mini / "out" / f"{NAME}_en.html").exists()  # what was built stays


def test_a_draft_over_the_size_limit_lists_the_sizes(mini: Path, tmp_path: Path):
    write(mini / "brief.yaml", "mail:\n  max_size_mb: 0.001\n")
    eml = tmp_path / "brief.eml"
    result = Cli(mini)(
        "mail",
        "kz-tr",
        "--lang",
        "en",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--out",
        str(mini / "out"),
        "--to",
        "chief@mfa.kz",
        "--from",
        "aliya@mfa.kz",
        "--eml",
        str(eml),
    )
    assert result.exit_code == 1, result.output
    size = (mini / "out" / f"{NAME}_en.html").stat().st_size
    assert "over the limit of 0.001 MB" in result.output
    assert f"{NAME}_en.html {round(size / 1024)} KB" in result.output
    assert "raise 'mail: max_size_mb:' in brief.yaml" in result.output
    assert not eml.exists()


def test_a_bad_mail_setting_in_brief_yaml_is_located(mini: Path, tmp_path: Path):
    write(
        mini / "brief.yaml",
        "mail:\n  sender: aliya@mfa.kz\n  recipients:\n"
        '    kz-tr:\n      - "a@b.kz\\nBcc: x@y.kz"\n',
    )
    result = Cli(mini)(
        "mail",
        "kz-tr",
        "--date",
        BRIEF_DATE,
        "--out",
        str(mini / "out"),
        "--eml",
        str(tmp_path / "x.eml"),
    )
    assert result.exit_code == 1, result.output
    assert (
        "brief.yaml:5: error: 'kz-tr' must be one line of plain text, but "
        "'a@b.kz\\nBcc: x@y.kz' contains a line break"
    ) in result.output


def test_missing_sender_and_recipients(mini: Path, tmp_path: Path):
    cli = Cli(mini)
    base = [
        "mail",
        "kz-tr",
        "--format",
        "html",
        "--date",
        BRIEF_DATE,
        "--eml",
        str(tmp_path / "x.eml"),
    ]
    result = cli(*base, "--to", "chief@mfa.kz")
    assert result.exit_code == 1
    assert "who sends the e-mail? no sender is given" in result.output
    assert (
        "give --from you@mfa.kz, or set 'mail: sender: you@mfa.kz' in brief.yaml" in result.output
    )
    result = cli(*base, "--from", "aliya@mfa.kz")
    assert result.exit_code == 2
    assert "who receives the e-mail? give --to ADDR" in result.output


@pytest.mark.parametrize(
    "args,message",
    [
        ([], "give --eml FILE to write a draft or --smtp HOST:PORT to send"),
        (["--eml", "x.eml", "--smtp", "127.0.0.1:25"], "not both"),
        (["--eml", "x.eml", "--starttls"], "--starttls, --ssl and --user go with --smtp"),
        (["--smtp", "127.0.0.1:25", "--starttls", "--ssl"], "give --starttls or --ssl, not both"),
        (["--smtp"], "which mail server? give --smtp HOST:PORT"),
        (["--smtp", "mail.mfa.kz:99999"], "--smtp must be a mail server like smtp.mfa.kz:587"),
        (["--eml", "x.eml", "--kind", "nosuch"], "unknown kind of brief 'nosuch'"),
    ],
)
def test_usage_errors_exit_2(mini: Path, args, message):
    result = Cli(mini)(
        "mail",
        "kz-tr",
        "--to",
        "chief@mfa.kz",
        "--from",
        "aliya@mfa.kz",
        "--out",
        str(mini / "out"),
        *args,
    )
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (mini / "out").exists()


def test_unknown_pair_is_a_user_error(mini: Path, tmp_path: Path):
    result = Cli(mini)("mail", "kz-xx", "--to", "chief@mfa.kz", "--eml", str(tmp_path / "x.eml"))
    assert result.exit_code == 1
    assert "there is no dossier for the pair 'kz-xx'" in result.output


# ---- encoded words: a header smuggled in as text that a mail program decodes ---------------

EVIL = "=?utf-8?b?DQpCY2M6IGV2aWxAeC5reg==?="  # decodes to "\r\nBcc: evil@x.kz"
EVIL_SAID = (
    f"the e-mail subject contains the encoded word '{EVIL}', which mail programs read as "
    "'\\r\\nBcc: evil@x.kz' (a line break, which starts a header of its own)"
)


def _line_of(path: Path, needle: str) -> int:
    return next(
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    )


def _smuggle(root: Path, where: str) -> str:
    """Put the encoded word into one input of the English subject; return its path:line."""
    if where == "house style":
        path = root / "templates" / "house" / "en.yaml"
        old = "TR: {short: Türkiye,"
        new = f'TR: {{short: "Türkiye {EVIL}",'
    elif where == "catalog":
        path = root / "templates" / "locale" / "en" / "LC_MESSAGES" / "messages.po"
        old = 'msgstr "Briefing note: %(pair)s, %(date)s"'
        new = f'msgstr "Briefing note {EVIL}: %(pair)s, %(date)s"'
    else:
        subject = root / "templates" / "mail" / "subject.txt"
        subject.write_text(
            subject.read_text(encoding="utf-8").rstrip("\n") + " – {{ d.key_dates[0].text|t }}\n",
            encoding="utf-8",
        )
        path = root / "briefs" / "kz-tr.yaml"
        old = "en: Diplomatic relations established}"
        new = f'en: "Relations {EVIL}"}}'
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = _line_of(path, EVIL)
    if where == "catalog":
        line -= 1  # the message is located at its msgid, the line above
    return f"{path.relative_to(root).as_posix()}:{line}"


@pytest.mark.parametrize("where", ["house style", "catalog", "fact"])
def test_an_encoded_word_in_the_subject_is_refused_by_mail_and_check_alike(
    mini: Path, tmp_path: Path, where: str
):
    located = _smuggle(mini, where)
    eml = write(tmp_path / "brief.eml", "an earlier draft\n")
    result = mail(
        mini,
        "--lang",
        "en",
        "--format",
        "html",
        "--to",
        "chief@mfa.kz",
        "--from",
        "aliya@mfa.kz",
        "--eml",
        str(eml),
    )
    assert result.exit_code == 1, result.output
    assert f"{located}: error: {EVIL_SAID}" in result.output
    assert "a subject is plain text: write this text without the encoded word" in result.output
    assert "Traceback" not in result.output
    assert eml.read_text() == "an earlier draft\n"  # no draft carries a Bcc

    checked = Cli(mini)("check", "kz-tr", "--date", BRIEF_DATE)
    assert checked.exit_code == 1, checked.output
    assert f"{located}: error: {EVIL_SAID}" in checked.output


def test_brief_check_passes_the_shipped_subjects(mini: Path):
    checked = Cli(mini)("check", "kz-tr", "--date", BRIEF_DATE)
    assert "mail-header" not in checked.output and "the e-mail subject" not in checked.output


def test_the_draft_carries_exactly_our_headers(mini: Path, tmp_path: Path):
    eml = tmp_path / "brief.eml"
    result = mail(
        mini,
        "--lang",
        "en",
        "--format",
        "html",
        "--to",
        "Chief <chief@mfa.kz>",
        "--cc",
        "desk@mfa.kz",
        "--from",
        "aliya@mfa.kz",
        "--eml",
        str(eml),
    )
    assert result.exit_code == 0, result.output
    msg = parse(eml)
    assert sorted(msg.keys()) == sorted(
        [
            "From",
            "To",
            "Cc",
            "Subject",
            "Date",
            "Message-ID",
            "X-Unsent",
            "Content-Type",
            "MIME-Version",
            "Content-Language",
        ]
    )
    assert msg["Bcc"] is None
    for part in msg.walk():
        if part is not msg:
            assert set(part.keys()) <= {
                "Content-Type",
                "Content-Transfer-Encoding",
                "Content-Disposition",
            }


def _mail(subject: str = "Briefing note", name: str = "Aliya", file: str = "brief.html"):
    import datetime as dt
    from email.headerregistry import Address

    from generator.mail.message import Attachment, Mail

    return Mail(
        Address(name, "aliya", "mfa.kz"),
        (Address("", "chief", "mfa.kz"),),
        (),
        subject,
        "text\n",
        "<p>text</p>",
        "en",
        dt.date(2026, 2, 2),
        [Attachment(file, Path(file), b"<html></html>")],
    )


@pytest.mark.parametrize(
    "kwargs,said",
    [
        ({"subject": f"Note {EVIL}"}, "the subject contains the encoded word"),
        ({"name": f"Aliya {EVIL}"}, "the name of 'aliya@mfa.kz' contains the encoded word"),
        ({"file": f"{EVIL}.html"}, "the attached file name contains the encoded word"),
        ({"subject": "Note\x00"}, "the subject contains the invisible control character U+0000"),
    ],
)
def test_no_header_we_write_carries_text_that_decodes_into_another(kwargs, said):
    from generator.errors import BriefError

    assert b"Bcc" not in _mail().message(draft=True)
    with pytest.raises(BriefError) as caught:
        _mail(**kwargs).message(draft=True)
    assert caught.value.code == "mail-header"
    assert said in caught.value.message


# ---- --eml onto something that is not a file ------------------------------------------------


def _draft(root: Path, target: Path):
    return mail(
        root,
        "--lang",
        "en",
        "--format",
        "html",
        "--to",
        "chief@mfa.kz",
        "--from",
        "aliya@mfa.kz",
        "--eml",
        str(target),
    )


def test_eml_refuses_a_pipe_a_device_a_folder_and_links_to_them(mini: Path, tmp_path: Path):
    import stat

    fifo = tmp_path / "pipe.eml"
    os.mkfifo(fifo)
    link = tmp_path / "null.eml"
    link.symlink_to("/dev/null")
    cases = [
        (fifo, "is a named pipe, not a file"),
        (Path("/dev/null"), "is a device, not a file"),
        (link, "is a device, not a file"),
        (tmp_path, "is a folder, not a file"),
    ]
    for target, said in cases:
        result = _draft(mini, target)
        assert result.exit_code == 1, result.output
        assert f"{target} {said}: --eml writes the draft to a new file" in result.output
        assert "nothing was written" in result.output
        assert "Traceback" not in result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert not (mini / "out").exists()  # refused before anything was built


def test_eml_replaces_an_earlier_draft_and_writes_through_a_link(mini: Path, tmp_path: Path):
    earlier = write(tmp_path / "earlier.eml", "an earlier draft\n")
    link = tmp_path / "current.eml"
    link.symlink_to(earlier)
    for target in (earlier, link, tmp_path / "new.eml"):
        result = _draft(mini, target)
        assert result.exit_code == 0, result.output
        assert parse(target)["To"] == "chief@mfa.kz"
    assert link.is_symlink() and link.resolve() == earlier
    assert not list(tmp_path.glob(".*.tmp"))
