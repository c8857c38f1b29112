"""Skip renders whose inputs have not changed.

A diagram's key hashes everything its files depend on: the diagram as
written (minus source positions, so moving lines around does not count),
the resolved theme, the render options and the tool's version. Each output
folder keeps one small JSON file mapping diagram ids to their key and to
the size and mtime of the files written, so a deleted or edited output is
rendered again too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from .. import __version__
from ..core.errors import Pos
from .files import write_atomic

CACHE_FILE = ".mlsd-cache.json"


_FIELDS: dict[type, tuple[str, ...] | None] = {}  # per type: the dataclass fields that count, or None


def _canon(value):
    kind = type(value)
    if kind in _FIELDS:
        names = _FIELDS[kind]
    else:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value) if not f.name.endswith("pos")) \
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
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns]


class RenderCache:
    """The cache of one output folder."""

    def __init__(self, folder: Path):
        self.path = folder / CACHE_FILE
        try:
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(self.entries, dict):
                self.entries = {}
        except (FileNotFoundError, ValueError, OSError):
            self.entries = {}
        self.changed = False

    def fresh(self, stem: str, key: str, files: list[Path]) -> bool:
        entry = self.entries.get(stem)
        return (isinstance(entry, dict) and entry.get("key") == key
                and entry.get("files") == {p.name: _stat(p) for p in files})

    def record(self, stem: str, key: str, files: list[Path]) -> None:
        self.entries[stem] = {"key": key, "files": {p.name: _stat(p) for p in files}}
        self.changed = True

    def save(self) -> None:
        if self.changed:
            write_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True))
