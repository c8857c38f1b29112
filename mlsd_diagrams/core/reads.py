"""Which files a piece of work read: every reader notes the files it opens, and ``recording`` collects them.

``watch`` records a whole load and render, then watches exactly those files:
the spec, the specs it extends, its custom icons, the theme and the themes it
builds on. The set comes from the readers themselves, so it cannot drift from
the rules they follow. A context variable, not a global: concurrent work in
other threads or tasks records separately.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from pathlib import Path

_files: contextvars.ContextVar[list[Path] | None] = contextvars.ContextVar("mlsd_diagrams_reads", default=None)


def note(path: str | os.PathLike) -> None:
    """Called by a reader for each file it opens."""
    files = _files.get()
    if files is not None:
        files.append(Path(os.path.abspath(path)))


@contextlib.contextmanager
def recording() -> Iterator[list[Path]]:
    """``with recording() as files:`` lists, in order and once each, the files read inside the block."""
    files: list[Path] = []
    token = _files.set(files)
    try:
        yield files
    finally:
        _files.reset(token)
        files[:] = list(dict.fromkeys(files))
