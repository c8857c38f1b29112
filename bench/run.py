"""Benchmarks for mlsd-diagrams: ratios measured side by side in one run (machines are noisy).

    .venv/bin/python bench/run.py            # everything, medians of 7 runs
    .venv/bin/python bench/run.py --runs 3   # quicker

Every comparison interleaves its contenders run by run and reports medians of
whole-process wall times, so drift on a shared machine hits both sides. Not
part of the test suite: tests check behaviour, this checks speed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PY = sys.executable
CLI = [PY, "-m", "mlsd_diagrams"]
DAC_VENV = BENCH / ".venv-dac"
CPUS = os.cpu_count() or 1
GROWTH_DOT_LIMIT = 90  # seconds raw dot may take on a synthetic spec before that size is reported, not rendered


def timed(cmd, cwd=None, env=None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def compare(runs: int, contenders: dict, prepare=None) -> dict[str, float]:
    """Median seconds per contender, the contenders interleaved run by run, after one uncounted run each
    (which writes the bytecode caches a user's machine would have)."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for name, cmd in contenders.items():
        if prepare:
            prepare(name)
        timed(*cmd) if isinstance(cmd, tuple) else timed(cmd)
    for _ in range(runs):
        for name, cmd in contenders.items():
            if prepare:
                prepare(name)
            samples[name].append(timed(*cmd) if isinstance(cmd, tuple) else timed(cmd))
    return {name: statistics.median(v) for name, v in samples.items()}


def report(title: str, medians: dict[str, float], base: str, target: str = "") -> None:
    print(f"\n{title}" + (f"  (target: {target})" if target else ""))
    for name, seconds in medians.items():
        ratio = seconds / medians[base]
        print(f"  {name:<44} {seconds * 1000:8.1f} ms   {ratio:5.2f}x {base}")


def dot_sources(folder: Path) -> list[Path]:
    """The DOT source of every bundled diagram, as `render --all` lays them out."""
    sys.path.insert(0, str(ROOT))
    from mlsd_diagrams import bundled_ids, load, load_theme
    from mlsd_diagrams.renderer.dot import build_dot

    theme = load_theme("book")
    folder.mkdir()
    paths = []
    for spec_id in bundled_ids():
        for d in load(spec_id).diagrams.values():
            path = folder / f"{spec_id}.{d.id}.dot"
            path.write_text(build_dot(d, theme))
            paths.append(path)
    return paths


def bench_render_all(runs: int, tmp: Path) -> None:
    sources = dot_sources(tmp / "dot")
    (tmp / "raw").mkdir()
    listing = tmp / "dot-files.txt"
    listing.write_text("\n".join(str(p) for p in sources) + "\n")
    # The limit: Graphviz alone writing the same SVG+PNG pairs from the same sources, same parallelism.
    raw = ["sh", "-c", f"xargs -P {CPUS} -I{{}} sh -c 'dot -Tsvg -o \"{{}}.svg\" -Tpng -o \"{{}}.png\" \"{{}}\"' "
           f"< {listing}"]
    ours = [*CLI, "render", "--all", "--force", "--format", "svg,png", "--out", str(tmp / "ours")]
    medians = compare(runs, {"raw dot (the limit)": raw, "mlsd-diagrams render --all --force": ours})
    report(f"1. render --all, svg+png, {len(sources)} diagrams, {CPUS} cores", medians, "raw dot (the limit)",
           "<= 1.3x the limit")
    warm = compare(runs, {"raw dot (the limit)": raw,
                          "mlsd-diagrams render --all (warm)": [*CLI, "render", "--all", "--out", str(tmp / "ours")]})
    report("3. warm render --all (nothing changed)", warm, "raw dot (the limit)", "< 0.3 s")


def bench_one_diagram(runs: int, tmp: Path) -> None:
    out = tmp / "one"
    out.mkdir()
    contenders = {
        "hand-written diagrams script": [PY, str(BENCH / "handwritten_visual_search.py"), str(out)],
        "mlsd-diagrams render (cold, --force)": [*CLI, "render", "visual_search", "--diagram", "system",
                                                 "--format", "png", "--force", "--out", str(out)],
    }
    dac = DAC_VENV / "bin" / "diagrams-as-code"
    if not dac.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DAC_VENV)], check=False, capture_output=True)
        subprocess.run([DAC_VENV / "bin" / "pip", "install", "-q", "diagrams-as-code"], check=False,
                       capture_output=True)
    if dac.exists():
        shutil.copy(BENCH / "dac_visual_search.yaml", out)  # it only accepts paths relative to the cwd
        contenders["diagrams-as-code"] = ([str(dac), "dac_visual_search.yaml"], out)
    medians = compare(runs, contenders)
    report("2. one diagram cold (visual_search system, png)", medians, "hand-written diagrams script",
           "<= 1.0x the script, ahead of diagrams-as-code")
    if not dac.exists():
        print("  diagrams-as-code: skipped (could not be installed into bench/.venv-dac)")


def bench_startup(runs: int, tmp: Path) -> None:
    specs = [str(p) for p in sorted((ROOT / "specs").glob("*.yaml"))]
    medians = compare(runs, {
        "python -c pass": [PY, "-c", "pass"],
        "mlsd-diagrams --help": [*CLI, "--help"],
        "mlsd-diagrams validate (every bundled spec)": [*CLI, "validate", *specs],
    })
    report("4. start-up", medians, "python -c pass", "--help < 0.15 s, validate < 0.4 s")


def bench_validate_one(runs: int, tmp: Path) -> None:
    medians = compare(runs, {
        "python -c pass": [PY, "-c", "pass"],
        "mlsd-diagrams validate visual_search": [*CLI, "validate", str(ROOT / "specs" / "visual_search.yaml")],
    })
    report("7. validate one spec", medians, "python -c pass", "<= 80 ms")


def bench_watch(runs: int, tmp: Path) -> None:
    """Edit a watched spec; time until the new SVG is in place, against raw dot on the same diagram's DOT."""
    folder = tmp / "watch"
    folder.mkdir()
    spec = folder / "watched.yaml"
    text = (ROOT / "specs" / "visual_search.yaml").read_text().replace("id: visual_search", "id: watched", 1)
    spec.write_text(text)
    svg = folder / "out" / "watched" / "system.svg"
    sys.path.insert(0, str(ROOT))
    from mlsd_diagrams import load, load_theme
    from mlsd_diagrams.renderer.dot import build_dot

    dot_file = folder / "system.dot"
    dot_file.write_text(build_dot(load(str(spec)).diagrams["system"], load_theme("book")))
    watch = subprocess.Popen([*CLI, "watch", str(spec), "--diagram", "system", "--format", "svg",
                              "--out", str(folder / "out")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    edits, raw = [], []
    try:
        deadline = time.monotonic() + 60
        while not svg.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.5)
        for k in range(runs):
            before = svg.stat().st_mtime_ns
            spec.write_text(text.replace("label: Query image,", f"label: Query image {k},", 1))
            start = time.perf_counter()
            while svg.stat().st_mtime_ns == before:
                time.sleep(0.001)
            edits.append(time.perf_counter() - start)
            time.sleep(0.3)
            raw.append(timed(["dot", "-Tsvg", "-o", str(folder / "raw.svg"), str(dot_file)]))
    finally:
        watch.terminate()
        watch.wait()
    medians = {"raw dot -Tsvg (the limit)": statistics.median(raw),
               "watch: edit to new SVG": statistics.median(edits)}
    report("8. watch (default interval), visual_search system, svg", medians, "raw dot -Tsvg (the limit)",
           "<= raw dot + 50 ms")
    print(f"  difference: {(medians['watch: edit to new SVG'] - medians['raw dot -Tsvg (the limit)']) * 1000:.0f} ms")


def synthetic_spec(n: int) -> str:
    lines = [f"id: synthetic_{n}", f"title: Synthetic {n}", "diagrams:", "  big:", "    title: Big",
             "    nodes:"]
    kinds = ("service", "store", "step", "input", "output")
    lines += [f"      n{i}: {{label: Component number {i}, kind: {kinds[i % 5]}}}" for i in range(n)]
    lines.append("    groups:")
    for g in range(0, n, 10):
        members = ", ".join(f"n{i}" for i in range(g, min(g + 10, n)))
        lines.append(f"      g{g}: {{label: Pipeline {g}, nodes: [{members}]}}")
    lines.append("    edges:")
    lines += [f"      - n{i} -> n{i + 1}" for i in range(n - 1)]
    lines += [f"      - n{i} -> n{i + 10}: lookup" for i in range(0, n - 10, 7)]  # links to the next pipeline
    return "\n".join(lines) + "\n"


def bench_growth(runs: int, tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from mlsd_diagrams import load_theme
    from mlsd_diagrams.renderer.dot import build_dot
    from mlsd_diagrams.spec import load_checked

    print("\n5. growth: load+validate in process (median), render vs raw dot (whole process, svg)")
    print(f"  {'nodes':>6} {'load+validate':>14} {'per node':>10} {'render':>9} {'raw dot':>9} {'ratio':>6}")
    theme = load_theme("book")
    for n in (10, 100, 1000, 5000):
        path = tmp / f"synthetic_{n}.yaml"
        path.write_text(synthetic_spec(n))
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            spec, _ = load_checked(str(path))
            times.append(time.perf_counter() - start)
        load_s = statistics.median(times)
        row = f"  {n:>6} {load_s * 1000:11.1f} ms {load_s / n * 1e6:7.1f} us"
        if n > 1000:
            print(row + "   (not rendered: far beyond a whiteboard; Graphviz alone needs minutes)")
            continue
        dot = tmp / f"synthetic_{n}.dot"
        dot.write_text(build_dot(spec.diagrams["big"], theme))
        try:
            subprocess.run(["dot", "-Tsvg", "-o", os.devnull, str(dot)], check=True, timeout=GROWTH_DOT_LIMIT)
        except subprocess.TimeoutExpired:
            print(row + f"   (not rendered: Graphviz alone needs more than {GROWTH_DOT_LIMIT} s)")
            continue
        medians = compare(max(1, runs // 2), {
            "raw": ["dot", "-Tsvg", "-o", str(tmp / f"raw{n}.svg"), str(dot)],
            "ours": ["env", f"MLSD_DOT_TIMEOUT={GROWTH_DOT_LIMIT * 2}", *CLI, "render", str(path), "--format", "svg",
                     "--force", "--out", str(tmp / "growth")],
        })
        print(row + f" {medians['ours']:8.2f}s {medians['raw']:8.2f}s {medians['ours'] / medians['raw']:5.2f}x")


def bench_memory(tmp: Path) -> None:
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    cmd = [PY, "-c", code, *CLI, "render", "--all", "--force", "--out", str(tmp / "mem")]
    kb = int(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    print(f"\n6. peak memory of render --all (largest process): {kb / 1024:.0f} MB  (target: < 150 MB)")


def bench_site(runs: int, tmp: Path) -> None:
    """The study website for every bundled spec: a cold build (empty picture cache) against a warm rebuild."""
    sys.path.insert(0, str(ROOT))
    from mlsd_diagrams.cli import COMMANDS

    # The command through the main group once it is listed there; until then, the command function itself.
    site = [*CLI, "site"] if "site" in COMMANDS else \
        [PY, "-c", "from mlsd_diagrams.cli.site_cmd import site_cmd; site_cmd()"]
    out, cache = tmp / "site", tmp / "site-cache"

    def prepare(name: str) -> None:
        if name.startswith("cold"):
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)

    medians = compare(runs, {
        "cold build (no cache)": [*site, "--out", str(out), "--cache", str(cache)],
        "warm rebuild (nothing changed)": [*site, "--out", str(out), "--cache", str(cache)],
    }, prepare)
    report("8. site, every bundled spec", medians, "cold build (no cache)", "warm <= 0.15x cold, site < 5 MB")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"  site size: {size / 1e6:.2f} MB in {sum(1 for p in out.rglob('*') if p.is_file())} files")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="render,one,startup,validate,watch,growth,memory,site",
                        help="comma-separated sections: render,one,startup,validate,watch,growth,memory,site")
    args = parser.parse_args()
    only = set(args.only.split(","))
    # Measure what users get: Python writes and reuses .pyc files (some shells turn that off).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"mlsd-diagrams benchmarks: medians of {args.runs} interleaved runs, {CPUS} cores, "
          f"{subprocess.run(['dot', '-V'], capture_output=True, text=True).stderr.strip()}")
    with tempfile.TemporaryDirectory(prefix="mlsd-bench-") as tmp:
        tmp = Path(tmp)
        if "render" in only:
            bench_render_all(args.runs, tmp)
        if "one" in only:
            bench_one_diagram(args.runs, tmp)
        if "startup" in only:
            bench_startup(args.runs, tmp)
        if "validate" in only:
            bench_validate_one(args.runs, tmp)
        if "watch" in only:
            bench_watch(args.runs, tmp)
        if "growth" in only:
            bench_growth(args.runs, tmp)
        if "memory" in only:
            bench_memory(tmp)
        if "site" in only:
            bench_site(args.runs, tmp)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
