"""One resource policy for check and every writer: files under templates/ and data: URIs
within 5 MB, images every writer can show, links to web and e-mail addresses only, a page
with a <body>. Hostile input ends in the same located errors in `brief check` and in
`brief build`, never in a traceback, a fetch or a file read from elsewhere."""

from __future__ import annotations

import base64
import io
import re
import socket
import zipfile
from pathlib import Path

import pytest
from conftest import BRIEF_DATE, REPO, Cli, word_plain, write

from generator.errors import BriefError
from generator.render.brief import RenderedBrief
from generator.render.document import parse
from generator.writers import WRITERS, writer
from generator.writers.preflight import document_problems
from generator.writers.resources import SIZE_LIMIT

KIND = "templates/kinds/background.html"
PNG = base64.b64decode(  # 1 × 1 pixel
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
    "AAAABJRU5ErkJggg=="
)
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20"/></svg>'


def svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


BILLION_LAUGHS = svg_uri(
    '<?xml version="1.0"?><!DOCTYPE svg ['
    '<!ENTITY a "aaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">'
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + ']><svg xmlns="http://www.w3.org/2000/svg"><text y="10">&i;</text></svg>'
)
XXE = svg_uri(
    '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><text y="10">&x;</text></svg>'
)
ATTLIST = svg_uri(  # a default attribute pointing elsewhere, added by the parser
    '<!DOCTYPE svg [<!ATTLIST image href CDATA "file:///etc/hostname">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><image width="5" height="5"/></svg>'
)
SVG_LINKS_OUT = svg_uri(
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:9/x.png" '
    'width="5" height="5"/></svg>'
)

INFINITE = svg_uri('<svg xmlns="http://www.w3.org/2000/svg" width="1e400" height="10"/>')
NOT_UNDER = "is not a file under templates/"
# what a line of the kind's template writes, and the start of the message for it
IMAGES = [
    ('<img src="file:///etc/hostname" alt="a">', f"the image 'file:///etc/hostname' {NOT_UNDER}"),
    ('<img src="/etc/hostname" alt="b">', f"the image '/etc/hostname' {NOT_UNDER}"),
    ('<img src="http://127.0.0.1:{port}/x.png" alt="c">', "the image 'http://127.0.0.1:{port}/"),
    ('<img src="ftp://127.0.0.1:{port}/x.png" alt="d">', "the image 'ftp://127.0.0.1:{port}/"),
    ('<img src="../briefs/kz-tr.yaml" alt="e">', f"the image '../briefs/kz-tr.yaml' {NOT_UNDER}"),
    ('<img src="outside.png" alt="f">', f"the image 'outside.png' {NOT_UNDER}"),
    ('<img src="data:image/x-foo;base64,AAAA" alt="g">', "the image is a data: URI of type"),
    ('<img src="data:image/png;base64,AAAA" alt="h">', "the image is not a PNG file"),
    (f'<img src="{BILLION_LAUGHS}" alt="i">', "the image is an SVG with declarations"),
    (f'<img src="{XXE}" alt="j">', "the image is an SVG with declarations"),
    (f'<img src="{ATTLIST}" alt="k">', "the image is an SVG with declarations"),
    (f'<img src="{SVG_LINKS_OUT}" alt="l">', "the image is an SVG that refers to 'http://127.0"),
    ('<img alt="m">', "an <img> has no src"),
    (f'<img src="{INFINITE}" alt="n">', "the image is an SVG whose width '1e400' is not a size"),
]  # fmt: skip


def error_lines(output: str) -> set[str]:
    """The `path:line: error: message` lines of an output, wherever they are indented."""
    return {
        line.strip() for line in output.splitlines() if re.match(r"^\s*\S+?(:\d+)*: error: ", line)
    }


def assert_clean(output: str) -> None:
    assert "Traceback" not in output, output[-3000:]
    assert "internal error" not in output, output[-3000:]


@pytest.fixture
def small(mini: Path) -> Path:
    """The mini project in English only: one pair, two kinds, one language."""
    write(mini / "brief.yaml", "languages: [en]\n")
    return mini


def check_and_build(root: Path, *formats: str):
    cli = Cli(root)
    checked = cli("check", "--date", BRIEF_DATE)
    built = cli(
        "build", "kz-tr", "--lang", "en", "--kind", "background", "--format",
        ",".join(formats or ("docx", "html")), "--date", BRIEF_DATE,
        "--out", str(root / "out"), "--jobs", "1",
    )  # fmt: skip
    assert_clean(checked.output)
    assert_clean(built.output)
    return checked, built


def insert(root: Path, lines: list[str]) -> dict[str, int]:
    """Write lines at the start of the kind's content block; their line numbers."""
    path = root / KIND
    text = path.read_text(encoding="utf-8")
    head, marker, tail = text.partition("{% block content %}\n")
    first = head.count("\n") + marker.count("\n") + 1
    path.write_text(head + marker + "".join(f"{x}\n" for x in lines) + tail, encoding="utf-8")
    return {line: first + i for i, line in enumerate(lines)}


@pytest.fixture
def listener():
    """A real TCP port on 127.0.0.1 that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)

    def connected() -> bool:
        try:
            conn, _ = server.accept()
        except TimeoutError:
            return False
        conn.close()
        return True

    yield server.getsockname()[1], connected
    server.close()


def test_every_hostile_image_is_a_located_error_in_check_and_build(small: Path, listener):
    port, connected = listener
    secret = small / "secret.png"
    secret.write_bytes(PNG)
    (small / "templates" / "outside.png").symlink_to(secret)
    wanted = [
        (f"<figure>{img}</figure>".format(port=port), msg.format(port=port)) for img, msg in IMAGES
    ]
    at = insert(small, [markup for markup, _ in wanted])
    checked, built = check_and_build(small)
    assert checked.exit_code == 1 and built.exit_code == 1, (checked.output, built.output)
    for markup, message in wanted:
        expected = f"{KIND}:{at[markup]}: error: {message}"
        assert any(e.startswith(expected) for e in error_lines(checked.output)), (
            expected,
            checked.output,
        )
        assert any(e.startswith(expected) for e in error_lines(built.output)), (
            expected,
            built.output,
        )
    assert error_lines(built.output) <= error_lines(checked.output)
    assert not (small / "out").exists() or not list((small / "out").glob("*.docx"))
    assert not connected()  # nothing was fetched from the network


def test_a_stylesheet_reaching_out_is_located_at_its_line(small: Path, listener):
    port, connected = listener
    theme = small / "templates" / "theme.css"
    text = theme.read_text(encoding="utf-8")
    n = text.count("\n")
    theme.write_text(
        text
        + f"body {{ background: url(http://127.0.0.1:{port}/bg.png); }}\n"
        + "h1 { background: u\\72 l('/etc/hostname'); }\n"  # an escaped url( is still one
        + '@import "other.css";\n',
        encoding="utf-8",
    )
    checked, built = check_and_build(small, "html", "docx")
    assert checked.exit_code == 1 and built.exit_code == 1
    expected = {
        f"templates/theme.css:{n + 1}: error: the url() 'http://127.0.0.1:{port}/bg.png' "
        + NOT_UNDER,
        f"templates/theme.css:{n + 2}: error: the url() '/etc/hostname' {NOT_UNDER}",
        f"templates/theme.css:{n + 3}: error: @import is not supported in a brief's stylesheet",
    }  # fmt: skip
    assert expected <= error_lines(checked.output), checked.output
    assert expected <= error_lines(built.output), built.output
    assert not connected()


def test_the_stylesheet_link_itself_outside_templates(small: Path):
    base = small / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    line = text[: text.index('<link rel="stylesheet"')].count("\n") + 1
    base.write_text(text.replace('href="theme.css"', 'href="file:///etc/hostname"'), "utf-8")
    checked, built = check_and_build(small)
    expected = (
        f"templates/base.html:{line}: error: the stylesheet 'file:///etc/hostname' is not a "
        "file under templates/"
    )
    assert expected in error_lines(checked.output), checked.output
    assert expected in error_lines(built.output), built.output


def test_a_data_uri_past_the_limit_is_located_in_check_and_build(small: Path):
    # two included halves: each template stays under the input limit, the URI does not
    (small / "templates" / "kinds" / "meeting.html").unlink()  # one kind: half the work
    half = "A" * 2_600_000
    write(small / "templates" / "half.txt", half)
    at = insert(
        small,
        ['<figure><img src="data:image/png;base64,{% include "half.txt" %}'
         '{% include "half.txt" %}" alt="big"></figure>'],
    )  # fmt: skip
    checked, built = check_and_build(small, "docx")
    assert checked.exit_code == 1 and built.exit_code == 1
    line = list(at.values())[0]
    expected = f"{KIND}:{line}: error: the image is a data: URI of 5.2 MB, over the limit of 5.0 MB"
    assert expected in error_lines(checked.output), checked.output
    assert expected in error_lines(built.output), built.output


LINKS = [
    '<p><a href="javascript:alert(1)">a</a></p>',
    '<p><a href="JaVaScRiPt&#58;alert(2)">b</a></p>',  # an entity in the scheme
    '<p><a href=" java&#x09;script:alert(3)">c</a></p>',  # a tab inside it
    '<p><a href="file:///etc/passwd">d</a></p>',
    '<p><a href="data:text/html,&lt;script&gt;alert(4)&lt;/script&gt;">e</a></p>',
    '<p><a href="vbscript:x">f</a></p>',
    '<p><a href="other.html">g</a></p>',
]


def test_links_go_only_to_web_and_mail_addresses(small: Path):
    at = insert(
        small, [*LINKS, '<p><a href="https://mfa.kz">ok</a> <a href="mailto:a@mfa.kz">ok</a></p>']
    )
    checked, built = check_and_build(small)
    assert checked.exit_code == 1 and built.exit_code == 1
    for link in LINKS:
        prefix = f"{KIND}:{at[link]}: error: the link '"
        assert any(e.startswith(prefix) for e in error_lines(checked.output)), (
            link,
            checked.output,
        )
        assert any(e.startswith(prefix) for e in error_lines(built.output)), (link, built.output)
    assert error_lines(built.output) <= error_lines(checked.output)
    assert len(error_lines(checked.output)) == len(LINKS)  # the good links are not reported


def test_a_link_made_by_a_value_is_reported_at_render_too(small: Path):
    insert(small, ["<p><a href=\"{{ 'javascript:' ~ 'alert(1)' }}\">x</a></p>"])
    checked, built = check_and_build(small)
    assert checked.exit_code == 1 and built.exit_code == 1
    message = "error: the link 'javascript:alert(1)' is not a web or e-mail address"
    assert f"{KIND}: {message}" in error_lines(checked.output), checked.output
    assert f"{KIND}: {message}" in error_lines(built.output), built.output


@pytest.mark.parametrize(
    "marker",
    [
        'href="theme.css">',  # in the middle of a tag in <head>
        "<title>",  # after the first lines of <head>
        "<!DOCTYPE html>",  # nothing but the {% set %} lines: an empty page
    ],
)
def test_a_layout_cut_short_before_body_is_a_located_error_in_both(small: Path, marker: str):
    base = small / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    text = text[: text.index(marker)]
    base.write_text(text, encoding="utf-8")
    checked, built = check_and_build(small)
    expected = f"templates/base.html:{len(text.splitlines())}: error: the brief has no <body>"
    assert checked.exit_code == 1 and built.exit_code == 1, (checked.output, built.output)
    assert any(e.startswith(expected) for e in error_lines(checked.output)), checked.output
    assert any(e.startswith(expected) for e in error_lines(built.output)), built.output


def test_a_layout_missing_its_closing_tags_is_a_document_both_handle(small: Path):
    base = small / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace("</body>\n</html>\n", "").rstrip("\n"), encoding="utf-8")
    checked, built = check_and_build(small)
    assert checked.exit_code == 0, checked.output
    assert built.exit_code == 0, built.output
    docx = next((small / "out").glob("*.docx"))
    with zipfile.ZipFile(docx) as z:
        assert "Diplomatic relations established" in word_plain(
            z.read("word/document.xml").decode()
        )


# ---- the writers on their own: the same policy without a render -----------------------


def brief_of(body: str, templates: Path = REPO / "templates") -> RenderedBrief:
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title>'
        '<meta name="dcterms.created" content="2026-02-02">'
        f'<link rel="stylesheet" href="theme.css"></head><body>{body}</body></html>'
    )
    return RenderedBrief(parse(html), templates, (("en", "en-GB"),), (), "t")


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@pytest.mark.parametrize("markup,message", IMAGES[:2] + IMAGES[6:9], ids=lambda x: x[:30])
def test_every_writer_refuses_what_check_refuses(fmt: str, markup: str, message: str):
    brief = brief_of(f"<figure>{markup}</figure>")
    problems = document_problems(brief)
    assert [p.message for p in problems if p.message.startswith(message)], problems
    with pytest.raises(BriefError) as err:
        writer(fmt).write(brief)
    assert {f.message for f in err.value.findings} == {p.message for p in problems}


def test_the_pdf_fetcher_keeps_to_the_same_limit(tmp_path: Path):
    from weasyprint.urls import URLFetchingError

    from generator.writers.weasy import TemplatesOnly

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "big.png").write_bytes(PNG + b"\0" * SIZE_LIMIT)
    (tmp_path / "secret.css").write_text("/* SECRET */", encoding="utf-8")
    (templates / "link.css").symlink_to(tmp_path / "secret.css")
    fetcher = TemplatesOnly(templates)
    for url in (
        (templates / "big.png").as_uri(),
        (templates / "link.css").as_uri(),
        "data:image/png;base64," + "A" * (SIZE_LIMIT + 4),
        "ftp://127.0.0.1:9/x",
    ):
        with pytest.raises(URLFetchingError):
            fetcher.fetch(url)
    (templates / "small.png").write_bytes(PNG)
    assert fetcher.fetch((templates / "small.png").as_uri()).read() == PNG


def test_the_html_writer_inlines_template_images_and_stylesheet_urls(tmp_path: Path):
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    (templates / "logo.png").write_bytes(PNG)
    with (templates / "theme.css").open("a", encoding="utf-8") as css:
        css.write(
            "\nbody { background: url(logo.png); }\n/* </style><script>alert(1)</script> */\n"
        )
    brief = brief_of('<figure><img src="logo.png" alt="logo"></figure>', templates)
    out = writer("html").write(brief).decode("utf-8")
    uri = "data:image/png;base64," + base64.b64encode(PNG).decode("ascii")
    assert f'<img src="{uri}"' in out
    assert f"url({uri})" in out
    assert "</style><script>" not in out and "logo.png" not in out
    assert not parse(out).root.findall(".//script")  # the stylesheet cannot add markup
    docx = writer("docx").write(brief)  # the DOCX writer takes the same file
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        assert PNG in [z.read(n) for n in z.namelist() if n.startswith("word/media/")]


@pytest.mark.parametrize(
    "size", ['width="100000" height="100"', 'width="0" height="0"', 'viewBox="0 0 9e4 1"']
)
def test_an_svg_of_any_size_is_drawn_for_word_within_bounds(size: str):
    svg = svg_uri(
        f'<svg xmlns="http://www.w3.org/2000/svg" {size}><rect width="9" height="9"/></svg>'
    )
    data = writer("docx").write(brief_of(f'<figure><img src="{svg}" alt="svg"></figure>'))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        png = next(z.read(n) for n in z.namelist() if n.startswith("word/media/"))
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert 1 <= width <= 4000 and 1 <= height <= 4000


def test_odd_numbers_in_the_vocabulary_do_not_stop_the_docx_writer():
    body = (
        '<ol start="many"><li>One</li></ol><table><tr><td colspan="x">A</td>'
        '<td colspan="99999999">B</td></tr></table>'
    )
    html = f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>{body}</body></html>'
    brief = RenderedBrief(parse(html), REPO / "templates", (("en", "en-GB"),), (), "t")
    data = writer("docx").write(brief)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    assert "One" in xml and "B" in xml
    assert xml.count("<w:gridCol") <= 64


SVG_SAFE = svg_uri(SVG)


def test_a_good_svg_and_png_pass_the_policy():
    ok = brief_of(
        f'<figure><img src="{SVG_SAFE}" alt="svg"></figure>'
        f'<figure><img src="data:image/png;base64,{base64.b64encode(PNG).decode()}" alt="png">'
        '</figure><p><a href="https://mfa.kz">x</a> <a href="#top">y</a></p>'
    )
    assert document_problems(ok) == []
