"""Measure the generator against its floor (WeasyPrint alone) and its peers; write RESULTS.md.

    .venv/bin/python -m pip install -e ".[bench]"   # docxtpl, the DOCX peer
    .venv/bin/python benchmarks/run.py            # about 20–30 minutes on 2 cores
    .venv/bin/python benchmarks/run.py --quick    # fewer repetitions

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
# no resident process is left by the benchmark's builds, but where it is measured
os.environ["BRIEF_RESIDENT"] = "off"

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


def run(cmd: list[str], cwd: Path = ROOT, ok: tuple[int, ...] = (0,)) -> float:
    """Wall time of one whole process (its exit status one of `ok`)."""
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited with {done.returncode}")
    return elapsed


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
    """`build --all --force`, `--jobs 1` against `--jobs 2`, whole processes in alternation:
    as an analyst's builds after the first (the resident process's workers build the
    documents) and as a session's first build (`BRIEF_RESIDENT=off`: the build's own
    processes); then the no-change rebuild."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        resident = ["env", f"BRIEF_CACHE={tmp}/cache", "BRIEF_RESIDENT=10"]

        def build(jobs: int, force: bool = True, env: list[str] = []):  # noqa: B006
            cmd = [
                *env,
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

        build(2)  # warm: the cache folder, the templates' verdict in the manifest
        build(2, env=resident)  # leaves the resident process
        for _ in range(300):
            if list(Path(tmp, "cache", "resident").glob("*.sock")):
                break
            time.sleep(0.1)
        samples: dict[str, list[float]] = {"jobs1": [], "jobs2": [], "first1": [], "first2": []}
        for _ in range(repeat):  # in alternation: a drift of the machine's speed hits all
            samples["jobs1"].append(build(1, env=resident))
            samples["jobs2"].append(build(2, env=resident))
            samples["first1"].append(build(1))
            samples["first2"].append(build(2))
        noop = [build(2, force=False) for _ in range(repeat)]
        out = {name: statistics.median(times) for name, times in samples.items()}
        for mode, one, two in (("speedup", "jobs1", "jobs2"), ("first", "first1", "first2")):
            out[mode] = statistics.median(
                a / b for a, b in zip(samples[one], samples[two], strict=True)
            )
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
    # its own high-water mark (VmHWM): getrusage's maxrss would also count the pages this
    # benchmark's process had when it started the build
    code = (
        f"import re, runpy, sys; sys.argv={argv!r}\n"
        "try: runpy.run_module('generator', run_name='__main__')\n"
        "except SystemExit: pass\n"
        "with open('/proc/self/status') as f:\n"
        "    print(re.search(r'VmHWM:\\s+(\\d+)', f.read()).group(1))"
    )
    proc = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(proc.stdout.strip().splitlines()[-1]) / 1024


# ---- the figures a ministry compares: whole processes, batches, 200 pairs ----------------------

WEASYPRINT_ALONE = """
import sys
from weasyprint import CSS, HTML
HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(
    sys.argv[4], stylesheets=[CSS(filename=sys.argv[3])], pdf_variant="pdf/a-3a", pdf_tags=True)
"""


def peak_of(cmd: list[str]) -> float:
    """The largest resident memory (MiB) of any process of a command (it, its workers)."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run([PY, "-c", code, *cmd], capture_output=True, text=True, cwd=ROOT)
    return int(done.stdout.split()[-1]) / 1024


def whole_process(project_root: Path, repeat: int) -> dict:
    """One brief from the command line, whole processes in alternation: `brief build`
    against WeasyPrint alone on the same HTML (same options) and LibreOffice converting the
    same brief's DOCX to PDF."""
    from generator.facts.project import load_project
    from generator.render.brief import render_brief
    from generator.writers import pdf
    from generator.writers.wordstyles import word_css

    pair, lang, kind = "kz-tr", "en", "background"
    templates = (project_root / "templates").resolve()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        project = load_project(project_root, [pair])
        brief = replace(render_brief(project, pair, lang=lang, kind=kind, on=DATE), name="b")
        job = pdf.layout(brief)
        html = brief.document.html.replace(
            "</head>", f"<style>{word_css(job.templates, job.kind)}</style></head>", 1
        )
        (work / "brief.html").write_text(html, encoding="utf-8")
        (work / "page.css").write_text(job.page_css, encoding="utf-8")
        (work / "alone.py").write_text(WEASYPRINT_ALONE, encoding="utf-8")
        build = [*BRIEF, "--project", str(project_root), "build", pair, "--lang", lang,
                 "--kind", kind, "--date", DATE.isoformat(), "--jobs", "1"]  # fmt: skip
        subprocess.run([*build, "--format", "docx", "--out", str(work / "docx")], check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        docx_file = next((work / "docx").glob("*.docx"))
        cache = f"BRIEF_CACHE={work / 'cache'}"
        commands = {
            # as an analyst's builds after the first: the resident process makes the PDF
            "ours": [
                "env",
                cache,
                "BRIEF_RESIDENT=1",
                *build,
                "--format",
                "pdf",
                "--out",
                str(work / "out"),
                "--force",
            ],  # fmt: skip
            # as the first build of a session (no resident process yet)
            "first": [
                "env",
                cache,
                "BRIEF_RESIDENT=off",
                *build,
                "--format",
                "pdf",
                "--out",
                str(work / "first"),
                "--force",
            ],  # fmt: skip
            # what the cache folder saves: the same with none (templates compiled anew, and
            # no resident process)
            "uncached": [
                "env",
                "BRIEF_CACHE=off",
                *build,
                "--format",
                "pdf",
                "--out",
                str(work / "uncached"),
                "--force",
            ],  # fmt: skip
            "weasyprint": [
                PY,
                str(work / "alone.py"),
                str(work / "brief.html"),
                templates.as_uri() + "/",
                str(work / "page.css"),
                str(work / "alone.pdf"),
            ],  # fmt: skip
        }
        soffice = shutil.which("soffice")
        if soffice:
            commands["libreoffice"] = [
                soffice, "--headless", "--norestore",
                f"-env:UserInstallation=file://{work / 'profile'}",
                "--convert-to", "pdf", "--outdir", str(work / "lo"), str(docx_file),
            ]  # fmt: skip
        for command in commands.values():  # warm: caches, bytecode, LibreOffice's profile
            run(command)
        for _ in range(300):  # the resident process the first build left, ready
            if list((work / "cache" / "resident").glob("*.sock")):
                break
            time.sleep(0.1)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, command in commands.items():
                samples[name].append(run(command))
    out = {name: statistics.median(times) for name, times in samples.items()}
    for name, times in samples.items():  # each run against the reference's run beside it
        out[f"{name}/weasyprint"] = statistics.median(
            a / b for a, b in zip(times, samples["weasyprint"], strict=True)
        )
    if "libreoffice" in samples:
        for name in ("ours", "first"):
            out[f"{name}/libreoffice"] = statistics.median(
                a / b for a, b in zip(samples[name], samples["libreoffice"], strict=True)
            )
    return out


def batch_per_document(project_root: Path, repeat: int) -> dict:
    """The 18 shipped PDFs made in one process (load once, then render and lay out each),
    per document, against WeasyPrint alone on the same HTML files, a fresh
    `HTML(...).write_pdf()` each."""
    from weasyprint import CSS, HTML

    from generator.facts.paths import kinds
    from generator.facts.project import load_project
    from generator.render.brief import render_brief
    from generator.writers import pdf
    from generator.writers.weasy import TemplatesOnly
    from generator.writers.wordstyles import word_css

    project = load_project(project_root)
    tasks = [(p, k, lang) for p in sorted(project.dossiers) for k in kinds(project.templates)
             for lang in project.languages]  # fmt: skip
    same_html = []
    for p, k, lang in tasks:
        brief = replace(render_brief(project, p, lang=lang, kind=k, on=DATE), name=p + k + lang)
        job = pdf.layout(brief)
        html = brief.document.html.replace(
            "</head>", f"<style>{word_css(job.templates, job.kind)}</style></head>", 1
        )
        same_html.append((html, job))

    def alone():
        for html, job in same_html:
            base = job.templates.as_uri() + "/"
            fetcher = TemplatesOnly(job.templates)
            HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(
                stylesheets=[CSS(string=job.page_css, base_url=base, url_fetcher=fetcher)],
                pdf_identifier=job.identifier, **pdf.PDF_OPTIONS,
            )  # fmt: skip

    def ours():
        fresh = load_project(project_root)
        for p, k, lang in tasks:
            brief = render_brief(fresh, p, lang=lang, kind=k, on=DATE)
            pdf.write(replace(brief, name=p + k + lang))

    times = interleaved({"alone": alone, "ours": ours}, repeat)
    out = {name: value / len(tasks) for name, value in times.items()}
    out["cores"] = two_cores(alone, repeat)
    return out | {"documents": len(tasks)}


def two_cores(work, repeat: int) -> float:
    """What this machine's two cores give to layout: `work` (WeasyPrint alone on the shipped
    HTML files) done twice by this process against once by each of two processes forked
    from it, run by run (the median ratio)."""
    ratios = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        work()
        one = time.perf_counter() - start
        start = time.perf_counter()
        children = []
        for _ in range(2):
            pid = os.fork()
            if pid == 0:
                try:
                    work()
                finally:
                    os._exit(0)
            children.append(pid)
        for pid in children:
            os.waitpid(pid, 0)
        ratios.append(one / (time.perf_counter() - start))
    return statistics.median(ratios)


def ministry(pairs: int, repeat: int) -> dict:
    """A ministry's fact base: `pairs` synthetic pairs; `check` of all, a full build of
    HTML and DOCX (2 kinds × 3 languages × 2 formats a pair), then an unchanged build."""
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ministry"
        names = synth.make(root, pairs, 1)
        base = [*BRIEF, "--project", str(root)]
        out["check"] = statistics.median(
            run([*base, "check", "--date", DATE.isoformat()], ok=(0, 1)) for _ in range(repeat)
        )
        build = [*base, "build", "--all", "--format", "html,docx", "--date", DATE.isoformat(),
                 "--out", str(root / "out")]  # fmt: skip
        started = time.perf_counter()
        out["peak"] = peak_of(build)
        out["full"] = time.perf_counter() - started
        out["noop"] = statistics.median(run(build) for _ in range(repeat))
        one = [*base, "build", names[0], "--format", "html,docx", "--date", DATE.isoformat(),
               "--out", str(root / "one"), "--jobs", "1"]  # fmt: skip
        out["peak_one"] = peak_of(one)
        out["outputs"] = len([p for p in (root / "out").iterdir() if p.suffix != ".json"])
        out["manifest"] = (root / "out" / "manifest.json").stat().st_size
    return out


# ---- peers -----------------------------------------------------------------------------------


def docxtpl_peer(project_root: Path, repeat: int, cold: str | None = None) -> dict | None:
    """docxtpl rendering the same brief content (headings, paragraphs, lists, tables and the
    trade chart, rasterised from the same SVG at the same size by cairosvg, as an
    InlineImage) against our DOCX writer: the median of paired writes in one process
    (`docxtpl`, `ours`), and each one's first write in a fresh process (`docxtpl_cold`,
    `ours_cold`, the median of three). With `cold`, only that one's first write is timed."""
    try:
        import docxtpl  # noqa: F401
    except ImportError:
        return None
    import io
    import json

    import cairosvg
    import docx
    from docx.shared import Emu
    from docxtpl import DocxTemplate, InlineImage

    from generator.facts.project import load_project
    from generator.render.brief import render_brief
    from generator.writers import writer
    from generator.writers.images import RASTER_MAX, check_svg, svg_size
    from generator.writers.resources import load

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
    # the chart as the brief has it: an SVG, drawn at the size our writer draws it
    svg = load(rendered.templates, next(body.iter("img")).get("src"), "image").data
    width, height = svg_size(check_svg(svg))
    scale = min(2.0, RASTER_MAX / max(width, height))
    pixels = {"output_width": round(width * scale), "output_height": round(height * scale)}
    template = docx.Document(str(ROOT / "templates" / "reference.docx"))
    section = template.sections[0]
    text_width = Emu(section.page_width - section.left_margin - section.right_margin)
    for p in list(template.paragraphs):
        p._p.getparent().remove(p._p)
    template.add_paragraph("{%p for b in blocks %}")
    template.add_paragraph("{{ b.text }}")
    template.add_paragraph("{%p endfor %}")
    template.add_paragraph("{{ chart }}")
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
        png = cairosvg.svg2png(bytestring=svg, **pixels)
        tpl = DocxTemplate(io.BytesIO(data))
        chart = InlineImage(tpl, io.BytesIO(png), width=text_width)
        tpl.render({"blocks": blocks, "tables": tables, "chart": chart})
        tpl.save(io.BytesIO())

    brief = replace(rendered, name="bench")
    fns = {"docxtpl": peer, "ours": lambda: writer("docx").write(brief)}
    if cold:  # a fresh process: its first write, after the imports and the render
        start = time.perf_counter()
        fns[cold]()
        return {cold: time.perf_counter() - start}

    def first_write(key: str) -> float:
        """The first write of `key` in a fresh process."""
        code = (
            f"import json, sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import run; "
            f"from pathlib import Path; "
            f"print(json.dumps(run.docxtpl_peer(Path({str(project_root)!r}), 0, {key!r})))"
        )
        done = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, check=True)
        return json.loads(done.stdout.splitlines()[-1])[key]

    times = interleaved(fns, repeat)
    for key in fns:
        times[f"{key}_cold"] = statistics.median(first_write(key) for _ in range(3))
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
    parser.add_argument("--pairs", type=int, default=200, help="pairs of the ministry figures")
    args = parser.parse_args(argv)
    # the modules compiled, as ./setup leaves them (an edit since is compiled again here)
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "generator")], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    repeat = 3 if args.quick else 7
    rows = []

    # the five figures a ministry compares us on
    whole = whole_process(ROOT, max(7, repeat))
    rows.append(
        (
            "one brief, whole process: `brief build kz-tr --lang en --format pdf "
            "--kind background --jobs 1`",
            "WeasyPrint alone on the same HTML, whole process",
            f"{whole['ours/weasyprint']:.3f}×",
            "≤ 1.10×",
            f"{whole['ours']:.2f} s vs {whole['weasyprint']:.2f} s",
        )
    )
    rows.append(
        (
            "the same brief, whole process, as a session's first build (no resident process: "
            "`BRIEF_RESIDENT=off`)",
            "WeasyPrint alone on the same HTML, whole process",
            f"{whole['first/weasyprint']:.3f}×",
            "report",
            f"{whole['first']:.2f} s vs {whole['weasyprint']:.2f} s",
        )
    )
    rows.append(
        (
            "the same brief, whole process, without the cache folder (`BRIEF_CACHE=off`: no "
            "resident process either)",
            "WeasyPrint alone on the same HTML, whole process",
            f"{whole['uncached/weasyprint']:.3f}×",
            "report",
            f"{whole['uncached']:.2f} s vs {whole['weasyprint']:.2f} s",
        )
    )
    if "libreoffice" in whole:
        rows.append(
            (
                "the same brief, whole process",
                "LibreOffice converting the same brief's DOCX to PDF",
                f"{whole['ours/libreoffice']:.3f}×",
                "≤ 0.8×",
                f"{whole['ours']:.2f} s vs {whole['libreoffice']:.2f} s",
            )
        )
        rows.append(
            (
                "the same brief, whole process, as a session's first build",
                "LibreOffice converting the same brief's DOCX to PDF",
                f"{whole['first/libreoffice']:.3f}×",
                "report",
                f"{whole['first']:.2f} s vs {whole['libreoffice']:.2f} s",
            )
        )
    per_doc = batch_per_document(ROOT, max(5, repeat // 2))
    rows.append(
        (
            f"per PDF in a batch of the {per_doc['documents']} shipped PDFs (one process: load "
            "once, render and lay out each)",
            "WeasyPrint alone on the same HTML files, a fresh `HTML().write_pdf()` each",
            f"{per_doc['ours'] / per_doc['alone']:.3f}×",
            "≤ 0.9×",
            f"{per_doc['ours'] * 1000:.0f} ms vs {per_doc['alone'] * 1000:.0f} ms",
        )
    )
    peer = docxtpl_peer(ROOT, repeat)
    if peer:
        rows.append(
            (
                "DOCX writer on one brief's content (styles, fields, bookmarks, numbering, "
                "embedded fonts)",
                "docxtpl render + save of the same content",
                f"{peer['ours'] / peer['docxtpl']:.2f}×",
                "≤ 1.0×",
                f"{peer['ours'] * 1000:.0f} ms vs {peer['docxtpl'] * 1000:.0f} ms a document "
                f"in a batch; a process's first: {peer['ours_cold'] * 1000:.0f} ms vs "
                f"{peer['docxtpl_cold'] * 1000:.0f} ms "
                f"({peer['ours_cold'] / peer['docxtpl_cold']:.2f}×)",
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        batch_root = Path(tmp) / "batch"
        synth.make(batch_root, 4, 1)
        b = batches(batch_root, max(5, repeat // 2))
    rows.append(
        (
            f"`build --all`, 4 synthetic pairs, {b['documents']} documents, `--jobs 2`",
            "`--jobs 1`",
            f"{b['speedup']:.2f}× faster",
            "≥ 1.9×",
            f"{b['jobs2']:.1f} s vs {b['jobs1']:.1f} s (the resident process's workers)",
        )
    )
    rows.append(
        (
            "the same, as a session's first build (`BRIEF_RESIDENT=off`)",
            "`--jobs 1`",
            f"{b['first']:.2f}× faster",
            "report",
            f"{b['first2']:.1f} s vs {b['first1']:.1f} s (the build's own worker processes)",
        )
    )
    rows.append(
        (
            "what the machine's two cores give: WeasyPrint alone on the 18 shipped HTML files, "
            "two processes at once",
            "the same work in one process",
            f"{per_doc['cores']:.2f}× faster",
            "report",
            "the ceiling of any `--jobs 2` on this machine in this run",
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

    big = ministry(args.pairs, max(2, repeat // 2))
    rows.append(
        (
            f"`brief check`, {args.pairs} synthetic pairs",
            "—",
            f"{big['check']:.1f} s",
            "report",
            f"{big['check'] / args.pairs * 1000:.0f} ms a pair",
        )
    )
    rows.append(
        (
            f"unchanged `build --all`, {big['outputs']} outputs ({args.pairs} pairs, HTML "
            "and DOCX)",
            "—",
            f"{big['noop']:.2f} s",
            "≤ 1 s",
            f"manifest {big['manifest'] / 1e6:.1f} MB; full build {big['full']:.0f} s",
        )
    )
    rows.append(
        (
            f"peak memory of the {big['outputs']}-output batch (largest process)",
            "—",
            f"{big['peak']:.0f} MiB",
            "bounded by the largest brief",
            f"one pair's 12 outputs in one process: {big['peak_one']:.0f} MiB",
        )
    )

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

    header = "| figure | reference | result | target | times |\n|---|---|---|---|---|\n"
    table = header + "\n".join("| " + " | ".join(r) + " |" for r in rows)
    text = (
        f"# Benchmark results\n\nMeasured {dt.date.today().isoformat()} with "
        f"`python benchmarks/run.py{' --quick' if args.quick else ''}` on: {versions()}.\n\n"
        "Each figure is a median of repeated runs, measured in the same run as its "
        "reference; whole processes run in alternation with their reference, and their "
        "ratio is the median of each run's ratio to the reference's run beside it (the "
        "machine's speed drifts). The times are medians of each side.\n\n" + table + "\n"
    )
    (ROOT / "benchmarks" / "RESULTS.md").write_text(text, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
