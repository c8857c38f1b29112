"""Putting the site's files in place: each whole or not at all, unchanged ones untouched, stale ones removed.

Every file is written atomically (``renderer.files.write_atomic``), the
index last, so a reader of a site being rebuilt sees whole files. A file
whose bytes did not change is not written again (its mtime stays, and a
static host's sync has nothing to copy). Files of an earlier build that this
one does not write are removed, but only files the site command owns: pages
carrying its generator tag and files in its asset folders, never anything
else a user keeps in the folder.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from ..core.errors import OutputError
from ..renderer.files import explain, write_atomic

GENERATOR = b'<meta name="generator" content="mlsd-diagrams site">'
OWNED_FOLDERS = ("assets", "assets/icons", "assets/thumbs")


def write_site(out: Path, files: dict[str, bytes]) -> tuple[list[Path], list[Path]]:
    """Write ``files`` (site-relative path -> bytes), ``index.html`` last; returns (written, removed)."""
    written = []
    for name in sorted(files, key=lambda n: (n == "index.html", n)):
        path = out / name
        try:
            same = path.is_file() and path.read_bytes() == files[name]
        except OSError:
            same = False
        if not same:
            write_atomic(path, files[name])
            written.append(path)
    return written, _remove_stale(out, set(files))


def _remove_stale(out: Path, keep: set[str]) -> list[Path]:
    stale = []
    for path in sorted(out.glob("*.html")):
        if path.name not in keep and path.is_file():
            with contextlib.suppress(OSError), path.open("rb") as f:
                if GENERATOR in f.read(2048):
                    stale.append(path)
    for folder in OWNED_FOLDERS:
        if (out / folder).is_dir():
            stale += [p for p in sorted((out / folder).iterdir())
                      if p.is_file() and not p.name.startswith(".") and f"{folder}/{p.name}" not in keep]
    for path in stale:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as e:
            raise OutputError(explain(e, path, "remove")) from None
    return stale
