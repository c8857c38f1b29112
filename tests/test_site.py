"""The study website (``mlsd-diagrams site``): its files, and the pages in a real browser.

The fast tests read the generated files: structure, no external URL, the size
budget, determinism, warm rebuilds, stale files, colour contrast, bad input.
The slow ones open the site from ``file://`` in Debian's Chromium through
Playwright (``pip install playwright``; the browser is the system's, never
downloaded): every page loads without console errors or requests leaving the
site, every diagram shows, the quiz reveals by click and by keyboard, step
reveal walks with the arrow keys, "draw it yourself" hides and shows on a
clock the test controls, dark mode applies, and a chapter printed to PDF holds
all its diagrams. They skip, saying what is missing, without the browser or
Playwright.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlsd_diagrams import bundled_ids, load
from mlsd_diagrams.cli import COMMANDS, cli
from mlsd_diagrams.cli.site_cmd import site_cmd
from mlsd_diagrams.site import build_site

BUDGET = 5_000_000  # bytes, the whole site for the bundled specs
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SVG_NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")
TEXT_SUFFIXES = (".html", ".css", ".js")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The site of every bundled spec, built once (cold) for this module; (site folder, cache, result)."""
    root = tmp_path_factory.mktemp("site")
    specs = [load(i) for i in bundled_ids()]
    result = build_site(specs, root / "site", cache=root / "cache")
    return root / "site", root / "cache", result


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built[0]


class _Page(HTMLParser):
    """Every id, every href/src, the figures and their inline drawings of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.figures: list[str] = []
        self.svgs: list[dict[str, str | None]] = []
        self.step_sections: list[str] = []
        self._in_svg = 0
        self.svg_children: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"] or "")
        for name in ("href", "src", "srcset"):
            if a.get(name):
                self.links.append(a[name] or "")
        if tag == "figure":
            self.figures.append(a.get("data-diagram") or "")
        if tag == "section" and "step" in (a.get("class") or "").split():
            self.step_sections.append(a.get("id") or "")
        if tag == "svg":
            self.svgs.append(a)
            self.svg_children.append([])
            self._in_svg += 1
        elif self._in_svg and len(self.svg_children[-1]) < 2:
            self.svg_children[-1].append(tag)

    def handle_endtag(self, tag):
        if tag == "svg":
            self._in_svg -= 1


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


# --- the files ---------------------------------------------------------------------------------------------------

def test_index_links_every_chapter_with_a_thumbnail(site):
    page = parse(site / "index.html")
    for spec_id in bundled_ids():
        assert f"{spec_id}.html" in page.links
        assert f"assets/thumbs/{spec_id}-book.png" in page.links
        assert f"assets/thumbs/{spec_id}-dark.png" in page.links
    assert len(bundled_ids()) == 11  # the framework and the ten case studies


@pytest.mark.parametrize("spec_id", bundled_ids())
def test_chapter_has_the_seven_steps_and_every_diagram(site, spec_id):
    spec = load(spec_id)
    page = parse(site / f"{spec_id}.html")
    assert page.step_sections[:7] == [f"step-{s}" for s in
                                      ("requirements", "framing", "data", "model", "evaluation", "serving",
                                       "monitoring")]
    assert sorted(page.figures) == sorted(spec.diagrams)
    assert len(page.svgs) == 2 * len(spec.diagrams)  # book and dark
    for svg, children in zip(page.svgs, page.svg_children, strict=True):
        assert svg["role"] == "img" and children == ["title", "desc"]
        assert svg["aria-labelledby"]
    assert len(page.ids) == len(set(page.ids)), "ids repeat on the page"
    text = (site / f"{spec_id}.html").read_text(encoding="utf-8")
    for d in spec.diagrams.values():
        for figure in d.figures:
            assert figure in text
    data = json.loads(re.search(r'<script type="application/json" id="diagram-data">(.*?)</script>', text,
                                re.S).group(1))
    assert set(data) == set(spec.diagrams)
    for did, d in spec.diagrams.items():
        shown = [n for f in data[did]["frames"]["group"] for n in f["nodes"]]
        assert sorted(shown) == sorted(d.nodes)  # every node in exactly one frame


def test_every_local_link_resolves(site):
    for page in site.glob("*.html"):
        for link in parse(page).links:
            target = link.split("#")[0]
            if target:
                assert (site / target).is_file(), f"{page.name} links {link}"


def test_no_external_url_in_any_file(site):
    url = re.compile(r"(?:https?:)?//[\w.-]+\.\w+|url\(\s*['\"]?(?!#|data:)[a-z]+:", re.I)
    for path in site.rglob("*"):
        if path.suffix in TEXT_SUFFIXES:
            text = path.read_text(encoding="utf-8")
            for ns in SVG_NAMESPACES:
                text = text.replace(ns, "")
            assert not url.findall(text), f"{path.relative_to(site)}: {url.findall(text)[:3]}"
            assert "@import" not in text and "data:image/png" not in text


def test_the_site_fits_the_budget(built):
    site, _, result = built
    on_disk = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert on_disk == result.size
    assert on_disk < BUDGET, f"{on_disk / 1e6:.2f} MB"


def test_a_warm_rebuild_draws_and_writes_nothing(built):
    site, cache, _ = built
    again = build_site([load(i) for i in bundled_ids()], site, cache=cache)
    assert again.rendered == [] and again.written == [] and again.removed == []


def test_same_specs_same_bytes(tmp_path):
    specs = [load("visual_search"), load("street_view_blurring")]
    build_site(specs, tmp_path / "a", cache=tmp_path / "cache-a")
    build_site(list(reversed(specs)), tmp_path / "b", cache=tmp_path / "cache-b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_a_smaller_site_removes_its_own_stale_files_only(built, tmp_path):
    _, cache, _ = built
    out = tmp_path / "site"
    build_site([load("visual_search"), load("framework")], out, cache=cache)
    (out / "notes.html").write_text("<p>mine</p>")
    result = build_site([load("visual_search")], out, cache=cache)
    assert out / "framework.html" in result.removed
    assert not (out / "framework.html").exists() and (out / "notes.html").exists()
    assert sorted(p.name for p in (out / "assets" / "thumbs").iterdir()) == ["visual_search-book.png",
                                                                             "visual_search-dark.png"]


def _css_colours(css: str) -> tuple[dict[str, str], dict[str, str]]:
    blocks = re.findall(r":root\s*\{([^}]*)\}", css)
    light, dark = (dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", b)) for b in blocks[:2])
    return light, {**light, **dark}


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b_ = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_text_colours_meet_wcag_aa(site, mode):
    light, dark = _css_colours((site / "assets" / "site.css").read_text(encoding="utf-8"))
    colours = light if mode == "light" else dark
    pairs = [("fg", "bg"), ("fg", "card"), ("muted", "bg"), ("muted", "card"), ("link", "bg"), ("link", "card"),
             ("button-fg", "button-bg"), ("pressed-fg", "pressed-bg"), ("answer-fg", "answer-bg"),
             ("mark", "card"), ("fg", "diagram-bg")]
    low = {f"{a} on {b}": round(_contrast(colours[a], colours[b]), 2) for a, b in pairs
           if _contrast(colours[a], colours[b]) < 4.5}
    assert low == {}
    assert _contrast(colours["button-line"], colours["button-bg"]) >= 3  # a control's edge (WCAG 1.4.11)


@pytest.fixture
def wired(monkeypatch):
    """The site command on the main group, as cli/__init__.py's COMMANDS lists it."""
    monkeypatch.setitem(COMMANDS, "site", "site_cmd:site_cmd")


def test_a_bad_spec_writes_nothing(tmp_path, wired):
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: broken\ntitle: Broken\ndiagrams:\n  system:\n    title: S\n    nodes:\n"
                   "      a: {label: A, kind: stor}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["site", str(bad), "visual_search", "--out", str(tmp_path / "out"),
                                      "--cache", str(tmp_path / "cache")])
    assert result.exit_code == 1
    assert re.search(r"broken\.yaml:7:\d+: error: .*unknown kind 'stor'", result.stderr)
    assert result.stderr.rstrip().endswith("nothing was written.")
    assert not (tmp_path / "out").exists() and not (tmp_path / "cache").exists()


def test_the_command_says_where_the_site_is(tmp_path):
    result = CliRunner().invoke(site_cmd, ["street_view_blurring", "--out", str(tmp_path / "s"),
                                           "--cache", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == str(tmp_path / "s" / "index.html")
    assert "1 chapter," in result.stdout
    assert (tmp_path / "s" / "street_view_blurring.html").is_file()


def test_help_has_an_example():
    result = CliRunner().invoke(site_cmd, ["--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout and "mlsd-diagrams site" in result.stdout


# --- in the browser ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (Debian package chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed "
                                                                  "(pip install playwright; no browser download)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, handle_sigint=False,
                              handle_sigterm=False, handle_sighup=False)
        yield b
        b.close()


class Watched:
    """A page with everything that went wrong recorded: console errors, script errors, requests leaving the site."""

    def __init__(self, browser, site: Path, scheme: str = "light", clock: bool = False):
        self.context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(60_000)  # a loaded machine is slow, never wrong
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.requests: list[str] = []
        inside = site.resolve().as_uri() + "/"
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

        def request(r):
            self.requests.append(r.url)
            if not (r.url.startswith(inside) or r.url.startswith("data:")):
                self.outside.append(r.url)
        self.page.on("request", request)
        if clock:
            self.page.clock.install()
        self.site = site

    def open(self, name: str):
        self.page.goto((self.site / name).resolve().as_uri())
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def light(browser, site):
    w = Watched(browser, site)
    yield w
    w.close()


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_loads_clean_and_shows_every_diagram(browser, site, scheme):
    w = Watched(browser, site, scheme)
    try:
        page = w.open("index.html")
        assert page.locator(".card img").count() == 11
        for img in page.locator(".card img").all():
            assert img.evaluate("i => i.complete && i.naturalWidth > 0")
        visible = ".variant-dark" if scheme == "dark" else ".variant-light"
        hidden = ".variant-light" if scheme == "dark" else ".variant-dark"
        for spec_id in bundled_ids():
            page = w.open(f"{spec_id}.html")
            figures = page.locator(".diagram-figure")
            assert figures.count() == len(load(spec_id).diagrams)
            sizes = page.eval_on_selector_all(
                f"{visible} svg.diagram", "els => els.map(e => [e.getBoundingClientRect().width, "
                "e.getBoundingClientRect().height, getComputedStyle(e.parentNode).display])")
            assert len(sizes) == figures.count()
            assert all(w_ > 20 and h > 20 and d == "block" for w_, h, d in sizes), sizes
            assert page.eval_on_selector_all(f"{hidden} svg.diagram",
                                             "els => els.every(e => e.getBoundingClientRect().width === 0)")
            broken = page.eval_on_selector_all(f"{visible} image", "els => els.filter(e => !e.href.baseVal).length")
            assert broken == 0
        assert w.errors == [] and w.outside == []
        assert any(r.endswith(".png") for r in w.requests)  # the pictograms and thumbnails did load, locally
    finally:
        w.close()


@pytest.mark.slow
def test_dark_mode_follows_the_system(browser, site):
    colours = {}
    for scheme in ("light", "dark"):
        w = Watched(browser, site, scheme)
        try:
            page = w.open("visual_search.html")
            colours[scheme] = page.evaluate("() => [getComputedStyle(document.documentElement).backgroundColor, "
                                            "getComputedStyle(document.body).color]")
            rect = page.locator("#d-system .variant-dark svg > rect").first
            shown = rect.get_attribute("fill") if scheme == "dark" else None
            assert shown in (None, "#12161C", "#12161c")
        finally:
            w.close()
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(31, 41, 51)"]
    assert colours["dark"] == ["rgb(18, 22, 28)", "rgb(230, 237, 243)"]


@pytest.mark.slow
def test_quiz_reveals_by_click_and_by_keyboard(light):
    page = light.open("visual_search.html")
    fig = page.locator("#d-system")
    fig.locator("[data-mode=quiz]").focus()
    page.keyboard.press("Enter")  # the toolbar answers the keyboard
    assert fig.locator("[data-mode=quiz]").get_attribute("aria-pressed") == "true"
    marks = fig.locator(".variant-light .blank-mark")
    assert marks.count() == 3
    assert fig.locator(".variant-light g.blanked").count() == 3
    first = fig.locator(".variant-light g.blanked").first
    first_id = first.get_attribute("data-node")
    first.click()  # reveal by click
    assert marks.count() == 2
    assert fig.locator(f'.variant-light g[data-node="{first_id}"] text').first.is_visible()
    fig.locator("[data-mode=quiz]").focus()
    for _ in range(3):  # Quiz -> Step reveal -> Draw it yourself -> the diagram
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('viewport')")
    page.keyboard.press("2")  # reveal by number key
    assert marks.count() == 1
    fig.locator(".reveal-one").first.focus()
    page.keyboard.press("Enter")  # and by button, from the keyboard
    assert marks.count() == 0
    assert fig.locator(".answers .answer").count() == 3
    fig.locator(".new-seed").click()
    assert marks.count() == 3
    fig.locator(".reveal-all").click()
    assert marks.count() == 0 and fig.locator(".variant-light g.blanked").count() == 0
    assert "Every blank revealed" in fig.locator(".status").text_content()
    assert light.errors == []


@pytest.mark.slow
def test_step_reveal_walks_with_the_arrow_keys(light):
    page = light.open("visual_search.html")
    fig = page.locator("#d-system")
    fig.locator("[data-mode=steps]").click()
    frames = len(json.loads(page.locator("#diagram-data").text_content())["system"]["frames"]["group"])
    hidden = fig.locator(".variant-light g.step-hidden[data-node]")
    counts = [hidden.count()]
    fig.locator(".viewport").focus()
    for _ in range(frames - 1):
        page.keyboard.press("ArrowRight")
        counts.append(hidden.count())
    assert counts == sorted(counts, reverse=True) and counts[0] > 0 and counts[-1] == 0
    assert f"Step {frames} of {frames}" in fig.locator(".status").text_content()
    page.keyboard.press("Home")
    assert hidden.count() == counts[0]
    page.keyboard.press("End")
    assert fig.locator(".variant-light .step-hidden").count() == 0
    fig.locator("[data-mode=steps]").click()  # off: everything back
    page.keyboard.press("Home")
    assert fig.locator(".step-hidden").count() == 0
    assert light.errors == []


@pytest.mark.slow
def test_draw_it_yourself_hides_then_shows_on_time(browser, site):
    w = Watched(browser, site, clock=True)
    try:
        page = w.open("visual_search.html")
        fig = page.locator("#d-system")
        fig.locator("[data-mode=selfdraw]").click()
        assert not fig.locator(".variant-light svg").is_visible()
        assert fig.locator(".cover").is_visible()
        assert "5:00 left" in fig.locator(".cover-time").text_content()
        page.clock.run_for(5 * 60 * 1000 + 1000)  # the page's clock, not the machine's
        assert fig.locator(".variant-light svg").is_visible()
        assert "Time is up" in fig.locator(".status").text_content()
        fig.locator(".selfdraw-show").click()  # hide again, then show on demand
        assert not fig.locator(".variant-light svg").is_visible()
        fig.locator(".selfdraw-show").click()
        assert fig.locator(".variant-light svg").is_visible()
        assert w.errors == []
    finally:
        w.close()


@pytest.mark.slow
def test_zoom_makes_the_drawing_bigger_and_fit_restores_it(light):
    page = light.open("visual_search.html")
    fig = page.locator("#d-system")
    svg = fig.locator(".variant-light svg")
    before = svg.bounding_box()["width"]
    fig.locator("[data-action=zoom-in]").click()
    fig.locator("[data-action=zoom-in]").click()
    assert svg.bounding_box()["width"] > before * 1.2
    fig.locator(".viewport").focus()
    page.keyboard.press("0")
    assert abs(svg.bounding_box()["width"] - before) < 2


@pytest.mark.slow
def test_search_finds_a_component_and_goes_there(light):
    page = light.open("index.html")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-box"
    page.keyboard.type("nearest neighbor")
    hits = page.locator("#search-results a")
    assert hits.count() > 0
    assert "visual_search.html#d-" in (hits.first.get_attribute("href") or "")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"visual_search\.html#d-"))
    assert light.errors == []


@pytest.mark.slow
def test_a_chapter_prints_with_every_diagram(light, tmp_path):
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        pytest.skip("pdftotext is not installed (Debian package poppler-utils)")
    page = light.open("visual_search.html")
    page.locator("#d-system [data-mode=quiz]").click()  # a half-done quiz prints as the whole diagram
    pdf = tmp_path / "chapter.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.count("\f")
    spec = load("visual_search")
    squash = " ".join(text.split())
    for d in spec.diagrams.values():
        # the heading above the drawing, and the title drawn in it
        assert squash.count(" ".join(d.title.split())) >= 2, d.title
        label = next(n.label for n in d.nodes.values() if len(n.label) > 4)
        assert label.split()[0] in squash, (d.id, label)
    assert "? 1" not in squash  # blanks never print
    assert 3 <= pages <= 2 * len(spec.diagrams), pages
    assert light.outside == []
