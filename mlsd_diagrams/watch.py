"""Which files a render reads, and noticing when one of them changes (for ``mlsd-diagrams watch``).

Polls modification times (no file-watching dependency): a spec and the few
files it reads are a handful of ``stat`` calls a second. The files watched
are the spec, the specs it ``extends`` (followed through the chain, within
the same folder rule the loader applies), its custom icons, and a theme file
with its ``base`` chain; callers work the set out again after each render, so
adding an ``extends`` line starts watching its target.
"""

from __future__ import annotations

import time
from pathlib import Path


def state(path: Path) -> tuple | None:
    """What tells a change: modification time and size (None while the file is missing)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def wait_for_change(watched: dict[Path, tuple | None], interval: float, sleep=time.sleep) -> list[Path]:
    """Block until a watched file's state differs from the one recorded; return the files that changed.

    Editors save in several steps (truncate, write, rename); after a change is
    seen we wait one more short moment so the render reads the finished file.
    """
    while True:
        sleep(interval)
        changed = [p for p, before in watched.items() if state(p) != before]
        if changed:
            sleep(min(interval, 0.1))
            return changed


def sources(spec_path: Path, theme: str, spec=None) -> list[Path]:
    """The files a render of ``spec_path`` reads: the spec, its ``extends`` chain, custom icons, a theme file."""
    from .core.yamlsrc import parse_file

    files = [spec_path]
    files += _chain(spec_path, "extends", _spec_ref, parse_file)
    for diagram in getattr(spec, "diagrams", {}).values():
        for node in diagram.nodes.values():
            icon_file = getattr(node, "icon_file", None)  # custom PNG icons, when the loader resolved one
            if icon_file is not None:
                files.append(Path(icon_file.path))
    theme_path = Path(theme)
    if theme.endswith((".yaml", ".yml")) or theme_path.is_file():
        files += [theme_path, *_chain(theme_path, "base", _theme_ref, parse_file)]
    return list(dict.fromkeys(files))


def _chain(start: Path, key: str, ref, parse) -> list[Path]:
    """Follow ``key`` (extends, base) from file to file; stops at anything unreadable or already seen."""
    from .core.errors import MlsdError

    found: list[Path] = []
    current = start
    while True:
        try:
            tree, _ = parse(str(current))
        except MlsdError:
            return found
        value = tree.get(key) if isinstance(tree, dict) else None
        nxt = ref(current, value) if isinstance(value, str) else None
        if nxt is None or nxt in found or nxt == start:
            return found
        found.append(nxt)
        current = nxt


def _spec_ref(current: Path, value: str) -> Path | None:
    """``extends:`` names a bundled id or a path relative to the extending spec's folder."""
    from .catalog import bundled_ids, specs_dir

    if value.endswith((".yaml", ".yml")) or "/" in value:
        candidate = (current.parent / value).resolve()
        # the loader refuses bases outside the extending spec's folder; never read them here either
        inside = not Path(value).is_absolute() and candidate.is_relative_to(current.parent.resolve())
        return candidate if inside else None
    return specs_dir() / f"{value}.yaml" if value in bundled_ids() else None


def _theme_ref(current: Path, value: str) -> Path | None:
    """``base:`` names a built-in theme (never changes while watching) or a theme file."""
    if value.endswith((".yaml", ".yml")):
        candidate = current.parent / value
        return candidate if candidate.exists() else Path(value)
    return None
