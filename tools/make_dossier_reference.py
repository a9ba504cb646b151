"""Write docs/dossier.md, the reference of every section, key and value of a dossier, from the
facts model and templates/sections.yaml. Run it after changing either:
    .venv/bin/python tools/make_dossier_reference.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.facts.paths import SECTIONS_FILE  # noqa: E402
from generator.facts.project import load_project  # noqa: E402
from generator.facts.reference import dossier_reference  # noqa: E402

TARGET = ROOT / "docs" / "dossier.md"


def main() -> int:
    project = load_project(ROOT)
    problems = [f for f in project.findings.errors if f.path == SECTIONS_FILE]
    if problems:
        for finding in problems:
            print(finding.format(), file=sys.stderr)
        print(f"docs/dossier.md not written: correct {SECTIONS_FILE} first", file=sys.stderr)
        return 1
    text = dossier_reference(project.sections)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
