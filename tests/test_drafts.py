"""Drafts and finals: named apart, built apart, each up to date on its own; mail picks finals."""

from __future__ import annotations

import email
import json
import re
import subprocess
from email import policy
from pathlib import Path

from conftest import BRIEF_DATE, Cli

FINAL = f"{BRIEF_DATE}_kz-tr_background_en.pdf"
DRAFT = f"{BRIEF_DATE}_kz-tr_background_en_draft.pdf"


def run(root: Path, *extra: str) -> dict[str, str]:
    """`brief build kz-tr` (English background PDF) into root/out: each file's status."""
    result = Cli(root)(
        "build", "kz-tr", "--lang", "en", "--kind", "background", "--format", "pdf",
        "--date", BRIEF_DATE, "--out", str(root / "out"), "--jobs", "1", *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return dict(
        (name, status)
        for status, name in re.findall(r"^(built|up-to-date|failed): (\S+)$", result.output, re.M)
    )


def text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_final_and_draft_coexist_and_only_the_draft_is_marked(mini: Path):
    out = mini / "out"
    assert run(mini) == {FINAL: "built"}
    final = (out / FINAL).read_bytes()
    assert run(mini, "--draft") == {DRAFT: "built"}
    assert (out / FINAL).read_bytes() == final  # the draft did not touch the final
    assert sorted(p.name for p in out.glob("*.pdf")) == [FINAL, DRAFT]
    assert "DRAFT" in text(out / DRAFT)
    assert "DRAFT" not in text(out / FINAL)
    files = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert files[FINAL]["draft"] is False and files[DRAFT]["draft"] is True
    assert files[FINAL]["sha256"] != files[DRAFT]["sha256"]
    # each is up to date on its own
    assert run(mini) == {FINAL: "up-to-date"}
    assert run(mini, "--draft") == {DRAFT: "up-to-date"}


def test_each_is_rebuilt_only_when_its_own_inputs_change(mini: Path):
    out = mini / "out"
    run(mini)
    run(mini, "--draft")
    # forcing or changing the draft's options leaves the final as it is, and the other way
    assert run(mini, "--draft", "--force") == {DRAFT: "built"}
    assert run(mini) == {FINAL: "up-to-date"}
    assert run(mini, "--draft", "--drafter", "A. Seitkali, 72-00-00") == {DRAFT: "built"}
    assert run(mini) == {FINAL: "up-to-date"}
    # a final that is no longer what was built is rebuilt; the draft stays
    (out / FINAL).write_bytes(b"%PDF-1.7 edited by hand\n")
    assert run(mini) == {FINAL: "built"}
    assert run(mini, "--draft", "--drafter", "A. Seitkali, 72-00-00") == {DRAFT: "up-to-date"}
    # an edited dossier makes both out of date; building one leaves the other for its turn
    dossier = mini / "briefs" / "kz-tr.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8").replace("10 bn USD", "11 bn USD"), encoding="utf-8"
    )
    before = (out / FINAL).read_bytes()
    assert run(mini, "--draft") == {DRAFT: "built"}
    assert (out / FINAL).read_bytes() == before
    assert run(mini) == {FINAL: "built"}
    assert run(mini) == {FINAL: "up-to-date"}
    assert run(mini, "--draft") == {DRAFT: "up-to-date"}


def test_mail_attaches_the_final_unless_asked_for_the_draft(mini: Path, tmp_path: Path):
    run(mini, "--draft")  # a draft alone in out/ is never attached as the final

    def attached(*extra: str) -> list[str]:
        eml = tmp_path / "brief.eml"
        result = Cli(mini)(
            "mail", "kz-tr", "--lang", "en", "--format", "pdf", "--date", BRIEF_DATE,
            "--out", str(mini / "out"), "--from", "aliya@mfa.kz", "--to", "chief@mfa.kz",
            "--eml", str(eml), *extra,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
        names = [part.get_filename() for part in message.iter_attachments()]
        assert all(name in result.output for name in names)
        return names

    assert attached() == [FINAL]
    assert attached("--draft") == [DRAFT]
    assert sorted(p.name for p in (mini / "out").glob("*.pdf")) == [FINAL, DRAFT]
