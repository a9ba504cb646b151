"""Measure the generator against its floor (WeasyPrint alone) and its peers; write RESULTS.md.

    python benchmarks/run.py            # about 5–10 minutes on 2 cores
    python benchmarks/run.py --quick    # fewer repetitions

Every figure is the median of several runs and is reported as a ratio to a reference
measured in the same run, so the numbers compare across machines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")

import synth  # noqa: E402

DATE = dt.date(2026, 2, 2)
PY = sys.executable
BRIEF = [PY, "-m", "generator"]


def median_time(fn, repeat: int) -> float:
    """Median wall time of fn() over `repeat` runs (after one warm-up)."""
    fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(fns: dict, repeat: int) -> dict[str, float]:
    """Medians of several functions measured in alternation (fair to each).

    The garbage of one run is collected before the next is timed: a large layout leaves
    ~10⁵ objects whose collection would otherwise be charged to whoever runs next.
    """
    for fn in fns.values():
        fn()
    samples: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeat):
        for key, fn in fns.items():
            gc.collect()
            start = time.perf_counter()
            fn()
            samples[key].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in samples.items()}


def run(cmd: list[str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


# ---- single brief: our paths against WeasyPrint alone ----------------------------------------


def single_brief(project_root: Path, pair: str, repeat: int) -> dict:
    from weasyprint import CSS, HTML

    from generator.facts.project import load_project
    from generator.render.brief import render_brief
    from generator.writers import writer
    from generator.writers.pdf import PDF_OPTIONS, page_css
    from generator.writers.weasy import TemplatesOnly

    templates = (project_root / "templates").resolve()
    project = load_project(project_root, [pair])
    rendered = render_brief(project, pair, lang="kk", kind="background", on=DATE)
    brief = replace(rendered, name="bench")
    html_text = rendered.document.html
    base = templates.as_uri() + "/"

    def weasyprint_alone():
        HTML(string=html_text, base_url=base, url_fetcher=TemplatesOnly(templates)).write_pdf(
            stylesheets=[CSS(string=page_css(brief), base_url=base)], **PDF_OPTIONS
        )

    def full(fmt):
        def go():
            p = load_project(project_root, [pair])
            r = render_brief(p, pair, lang="kk", kind="background", on=DATE)
            return writer(fmt).write(replace(r, name="bench"))

        return go

    def html_only():
        p = load_project(project_root, [pair])
        render_brief(p, pair, lang="kk", kind="background", on=DATE)

    from generator.render.brief import houses
    from generator.render.document import parse
    from generator.render.typography import SHY, WJ, typeset

    typed = parse(html_text.replace(SHY, "").replace(WJ, ""))  # as the templates wrote it
    house_styles = houses(project, "kk")

    def typesetting():
        typeset(typed, house_styles)

    untagged = {k: v for k, v in PDF_OPTIONS.items() if k not in ("pdf_variant", "pdf_tags")}

    def weasyprint_untagged():
        HTML(string=html_text, base_url=base, url_fetcher=TemplatesOnly(templates)).write_pdf(
            stylesheets=[CSS(string=page_css(brief), base_url=base)], **untagged
        )

    times = interleaved(
        {
            "weasyprint": weasyprint_alone,
            "pdf": full("pdf"),
            "docx": full("docx"),
            "front": html_only,
            "typesetting": typesetting,
            "untagged": weasyprint_untagged,
        },
        repeat,
    )
    pdf = full("pdf")()
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return {**times, "pages": pages}


# ---- batches ---------------------------------------------------------------------------------


def batches(project_root: Path, repeat: int) -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:

        def build(jobs: int, force: bool = True):
            cmd = [
                *BRIEF,
                "--project",
                str(project_root),
                "build",
                "--all",
                "--date",
                DATE.isoformat(),
                "--out",
                f"{tmp}/out",
                "--jobs",
                str(jobs),
            ]
            return run(cmd + (["--force"] if force else []))

        j1 = [build(1) for _ in range(repeat)]
        j2 = [build(2) for _ in range(repeat)]
        noop = [build(2, force=False) for _ in range(repeat)]
        out["jobs1"] = statistics.median(j1)
        out["jobs2"] = statistics.median(j2)
        out["noop"] = statistics.median(noop)
        out["documents"] = len([p for p in Path(tmp, "out").iterdir() if p.suffix != ".json"])
    return out


def startup(repeat: int) -> dict:
    def t(cmd):
        return statistics.median(run(cmd) for _ in range(repeat))

    return {
        "python": t([PY, "-c", "pass"]),
        "help": t([*BRIEF, "--help"]),
        "list": t([*BRIEF, "list"]),
        "check": t([*BRIEF, "check", "--date", "2026-02-02"]),
    }


def scaling(repeat: int) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in (1, 4, 16):
            root = Path(tmp) / f"x{scale}"
            pair = synth.make(root, 1, scale)[0]
            r = single_brief(root, pair, max(1, repeat // (2 if scale > 4 else 1)))
            rss = worker_rss(root, pair) if scale == 16 else None
            rows.append(
                {
                    "scale": scale,
                    "pages": r["pages"],
                    "pdf": r["pdf"],
                    "per_page": r["pdf"] / r["pages"],
                    "weasyprint": r["weasyprint"],
                    "rss": rss,
                }
            )
    return rows


def worker_rss(root: Path, pair: str) -> float:
    """Peak resident memory (MiB) of a process building the brief's PDF and DOCX."""
    argv = [
        "brief",
        "--project",
        str(root),
        "build",
        pair,
        "--lang",
        "kk",
        "--kind",
        "background",
        "--format",
        "pdf,docx",
        "--date",
        "2026-02-02",
        "--out",
        str(root / "out"),
        "--jobs",
        "1",
        "--force",
    ]
    code = (
        f"import resource, runpy, sys; sys.argv={argv!r}\n"
        "try: runpy.run_module('generator', run_name='__main__')\n"
        "except SystemExit: pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(proc.stdout.strip().splitlines()[-1]) / 1024


# ---- peers -----------------------------------------------------------------------------------


def libreoffice(project_root: Path, repeat: int) -> dict | None:
    soffice = shutil.which("soffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                *BRIEF,
                "--project",
                str(project_root),
                "build",
                "kz-tr",
                "--lang",
                "kk",
                "--kind",
                "background",
                "--format",
                "docx,pdf",
                "--date",
                "2026-02-02",
                "--out",
                tmp,
                "--jobs",
                "1",
            ],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        docx_file = next(Path(tmp).glob("*.docx"))
        profile = Path(tmp) / "profile"

        def convert():
            return run(
                [
                    soffice,
                    "--headless",
                    "--norestore",
                    f"-env:UserInstallation=file://{profile}",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(Path(tmp) / "lo"),
                    str(docx_file),
                ]
            )

        lo = statistics.median(convert() for _ in range(repeat))
        ours = statistics.median(
            run(
                [
                    *BRIEF,
                    "--project",
                    str(project_root),
                    "build",
                    "kz-tr",
                    "--lang",
                    "kk",
                    "--kind",
                    "background",
                    "--format",
                    "pdf",
                    "--date",
                    "2026-02-02",
                    "--out",
                    str(Path(tmp) / "o"),
                    "--jobs",
                    "1",
                    "--force",
                ]
            )
            for _ in range(repeat)
        )
    return {"libreoffice": lo, "ours_process": ours}


def docxtpl_peer(project_root: Path, repeat: int) -> dict | None:
    """docxtpl rendering the same brief content (headings, paragraphs, lists, tables)."""
    try:
        import docxtpl  # noqa: F401
    except ImportError:
        return None
    import io

    import docx
    from docxtpl import DocxTemplate

    from generator.facts.project import load_project
    from generator.render.brief import render_brief
    from generator.writers import writer

    project = load_project(project_root, ["kz-tr"])
    rendered = render_brief(project, "kz-tr", lang="kk", kind="background", on=DATE)
    body = rendered.document.body
    blocks = []
    for node in body.iter():
        if node.tag in ("h1", "h2", "h3", "p", "li"):
            blocks.append(
                {
                    "style": {
                        "h1": "Title",
                        "h2": "Heading 1",
                        "h3": "Heading 2",
                        "li": "List Bullet",
                    }.get(node.tag, "Body Text"),
                    "text": " ".join("".join(node.itertext()).split()),
                }
            )
    tables = [
        [
            [" ".join("".join(c.itertext()).split()) for c in tr if c.tag in ("td", "th")]
            for tr in table.iter("tr")
        ]
        for table in body.iter("table")
    ]
    template = docx.Document(str(ROOT / "templates" / "reference.docx"))
    for p in list(template.paragraphs):
        p._p.getparent().remove(p._p)
    template.add_paragraph("{%p for b in blocks %}")
    template.add_paragraph("{{ b.text }}")
    template.add_paragraph("{%p endfor %}")
    template.add_paragraph("{%p for t in tables %}")
    table = template.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "{%tr for row in t %}"
    row = table.add_row()
    row.cells[0].text = "{{ row|join(' | ') }}"
    end = table.add_row()
    end.cells[0].text = "{%tr endfor %}"
    template.add_paragraph("{%p endfor %}")
    buf = io.BytesIO()
    template.save(buf)
    data = buf.getvalue()

    def peer():
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.render({"blocks": blocks, "tables": tables})
        tpl.save(io.BytesIO())

    brief = replace(rendered, name="bench")
    times = interleaved({"docxtpl": peer, "ours": lambda: writer("docx").write(brief)}, repeat)
    return times


# ---- report ----------------------------------------------------------------------------------


def versions() -> str:
    import babel
    import docx
    import jinja2
    import weasyprint

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.platform()}, {os.cpu_count()} cores ({cpu}); Python "
        f"{platform.python_version()}; WeasyPrint {weasyprint.__version__}, python-docx "
        f"{getattr(docx, '__version__', '?')}, Jinja {jinja2.__version__}, Babel "
        f"{babel.__version__}"
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="brief benchmark")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 7
    rows = []

    single = single_brief(ROOT, "kz-tr", repeat)
    rows.append(
        (
            f"full PDF path for one brief (load → HTML → PDF), kk, {single['pages']} pages",
            "WeasyPrint alone on the same HTML",
            f"{single['pdf'] / single['weasyprint']:.3f}×",
            "≤ 1.10×",
            f"{single['pdf']:.3f} s vs {single['weasyprint']:.3f} s",
        )
    )
    rows.append(
        (
            "DOCX path for one brief (load → HTML → DOCX)",
            "WeasyPrint alone on the same HTML",
            f"{single['docx'] / single['weasyprint']:.3f}×",
            "≤ 0.15×",
            f"{single['docx']:.3f} s",
        )
    )
    rows.append(
        (
            "load + validate + Jinja + vocabulary check (no writer)",
            "WeasyPrint alone on the same HTML",
            f"{single['front'] / single['weasyprint']:.3f}×",
            "—",
            f"{single['front'] * 1000:.1f} ms",
        )
    )

    rows.append(
        (
            "typesetting (no-break rules, quotes, soft hyphens in kk) of the same brief",
            "WeasyPrint alone on the same HTML",
            f"{single['typesetting'] / single['weasyprint']:.3f}×",
            "report",
            f"{single['typesetting'] * 1000:.1f} ms",
        )
    )
    rows.append(
        (
            "tagging and PDF/A: WeasyPrint alone with the brief's options (PDF/A-3a, tags)",
            "WeasyPrint alone, untagged, no PDF/A",
            f"{single['weasyprint'] / single['untagged']:.3f}×",
            "report",
            f"{single['weasyprint']:.3f} s vs {single['untagged']:.3f} s",
        )
    )

    with tempfile.TemporaryDirectory() as tmp:
        batch_root = Path(tmp) / "batch"
        synth.make(batch_root, 4, 1)
        b = batches(batch_root, max(2, repeat // 2))
    rows.append(
        (
            f"`build --all`, 4 synthetic pairs, {b['documents']} documents, `--jobs 2`",
            "`--jobs 1`",
            f"{b['jobs1'] / b['jobs2']:.2f}× faster",
            "≥ 1.8×",
            f"{b['jobs2']:.1f} s vs {b['jobs1']:.1f} s",
        )
    )
    rows.append(
        (
            "no-change rebuild of `--all`",
            "full build (`--jobs 2`)",
            f"{100 * b['noop'] / b['jobs2']:.1f} %",
            "≤ 3 %",
            f"{b['noop']:.2f} s",
        )
    )

    s = startup(repeat)
    rows.append(
        (
            "`brief --help` wall time",
            "`python -c pass`",
            f"{s['help'] / s['python']:.1f}×",
            "≤ 0.25 s",
            f"{s['help']:.3f} s",
        )
    )
    rows.append(
        (
            "`brief list` wall time",
            "`python -c pass`",
            f"{s['list'] / s['python']:.1f}×",
            "report",
            f"{s['list']:.3f} s",
        )
    )
    rows.append(
        (
            "`brief check` on the shipped repository",
            "`python -c pass`",
            f"{s['check'] / s['python']:.1f}×",
            "report",
            f"{s['check']:.3f} s",
        )
    )

    scale_rows = scaling(max(2, repeat // 2))
    base = scale_rows[0]["per_page"]
    for r in scale_rows:
        rows.append(
            (
                f"PDF time per page, {r['scale']}× dossier ({r['pages']} pages)",
                "per page at 1×",
                f"{r['per_page'] / base:.2f}×",
                "linear (≈ 1×)",
                f"{1000 * r['per_page']:.0f} ms/page; WeasyPrint alone "
                f"{1000 * r['weasyprint'] / r['pages']:.0f} ms/page",
            )
        )
    rss = next(r["rss"] for r in scale_rows if r["rss"])
    rows.append(
        (
            "peak RSS of a process building the 16× brief (PDF + DOCX)",
            "—",
            f"{rss:.0f} MiB",
            "≤ 400 MB",
            "",
        )
    )

    lo = libreoffice(ROOT, max(2, repeat // 2))
    if lo:
        ratio = lo["libreoffice"] / lo["ours_process"]
        rows.append(
            (
                "peer: LibreOffice DOCX → PDF, one process per document",
                "our `brief build` of the same PDF, one process",
                f"{ratio:.2f}×",
                "report",
                f"{lo['libreoffice']:.2f} s vs {lo['ours_process']:.2f} s",
            )
        )
    peer = docxtpl_peer(ROOT, repeat)
    if peer:
        rows.append(
            (
                "peer: docxtpl render + save of the same content",
                "our DOCX writer",
                f"{peer['docxtpl'] / peer['ours']:.2f}×",
                "report",
                f"{peer['docxtpl'] * 1000:.0f} ms vs {peer['ours'] * 1000:.0f} ms",
            )
        )

    header = "| figure | reference | result | target | times |\n|---|---|---|---|---|\n"
    table = header + "\n".join("| " + " | ".join(r) + " |" for r in rows)
    text = (
        f"# Benchmark results\n\nMeasured {dt.date.today().isoformat()} with "
        f"`python benchmarks/run.py{' --quick' if args.quick else ''}` on: {versions()}.\n\n"
        "Each figure is a median of repeated runs, measured in the same run as its "
        "reference.\n\n" + table + "\n"
    )
    (ROOT / "benchmarks" / "RESULTS.md").write_text(text, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
