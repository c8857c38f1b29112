"""Skip renders whose inputs have not changed.

A diagram's key hashes everything its files depend on: the diagram as
written (minus source positions, so moving lines around does not count),
the resolved theme, the render options and the tool's version. Each output
folder keeps one small JSON file mapping diagram ids to their key and to
the size, mtime and inode of the files written (taken from the files this
render wrote, before they were moved into place), so a deleted or edited
output is rendered again too, and so is one another render replaced.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
from pathlib import Path

from .. import __version__
from ..core.errors import Pos
from .files import file_signature, write_atomic

CACHE_FILE = ".mlsd-cache.json"


_FIELDS: dict[type, tuple[str, ...] | None] = {}  # per type: the dataclass fields that count, or None


def _canon(value):
    kind = type(value)
    if kind in _FIELDS:
        names = _FIELDS[kind]
    else:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value)
                                      if f.compare and not f.name.endswith("pos")) \
            if dataclasses.is_dataclass(value) and kind is not Pos else None
    if names is not None:
        return {n: _canon(getattr(value, n)) for n in names}
    if kind is Pos:
        return None
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    return value


def fingerprint(*parts) -> str:
    """A stable hash of dataclasses, dicts, lists and scalars."""
    text = json.dumps([__version__, *map(_canon, parts)], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _stat(path: Path) -> list[int] | None:
    try:
        return file_signature(path)
    except FileNotFoundError:
        return None


MAX_CACHE_BYTES = 4 * 1024 * 1024  # about 20,000 diagrams; anything bigger is not ours


class RenderCache:
    """The cache of one output folder. The file is only a hint: anything odd about it (a link, a folder, a
    pipe, a huge or malformed file) reads as an empty cache, so the worst it can do is cost a redraw."""

    def __init__(self, folder: Path):
        self.path = folder / CACHE_FILE
        self.entries = _read_entries(self.path)
        self.changed = False

    def fresh(self, stem: str, key: str, files: list[Path]) -> bool:
        entry = self.entries.get(stem)
        return (isinstance(entry, dict) and entry.get("key") == key
                and entry.get("files") == {p.name: _stat(p) for p in files})

    def record(self, stem: str, key: str, written: dict[str, list[int]]) -> None:
        """``written``: file name -> the signature of the file this render wrote (``files.publish``)."""
        self.entries[stem] = {"key": key, "files": written}
        self.changed = True

    def save(self) -> None:
        if self.changed:
            write_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True))


def _read_entries(path: Path) -> dict:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:  # missing, a symlink (ELOOP), unreadable
        return {}
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return {}
        data = os.read(fd, MAX_CACHE_BYTES + 1)
    except OSError:
        return {}
    finally:
        os.close(fd)
    try:
        entries = json.loads(data)
    except (ValueError, RecursionError):
        return {}
    if not isinstance(entries, dict):
        return {}
    return {k: v for k, v in entries.items() if isinstance(v, dict)}
