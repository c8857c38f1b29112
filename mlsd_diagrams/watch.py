"""Noticing when a file changes (for ``mlsd-diagrams watch``).

Polls modification times (no file-watching dependency): a spec and the few
files it reads are a handful of ``stat`` calls a second. Which files to watch
is what the last load and render read (``core.reads.recording``): the spec,
the specs it ``extends``, its custom icons, the theme and the themes it builds
on. The set is recorded again at every render, so adding an ``extends`` line
starts watching its target.
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
            sleep(min(interval, 0.02))
            return changed
