"""The bundled case studies: find them in the installed package or, in a checkout, in ``specs/``."""

from __future__ import annotations

import os
from pathlib import Path

from .core.errors import UsageError
from .core.suggest import did_you_mean


def specs_dir() -> Path:
    """Where the bundled specs live: inside the wheel, or the repository's ``specs/`` in a checkout."""
    packaged = Path(__file__).resolve().parent / "specs"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "specs"


def bundled_ids() -> list[str]:
    folder = specs_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.yaml"))


def resolve(target: str) -> tuple[str, str]:
    """A bundled id or a path -> (file to read, name to show in messages)."""
    path = Path(target)
    if target in bundled_ids():  # a bundled id always means the bundled spec, whatever the current folder holds
        real = specs_dir() / f"{target}.yaml"
        return str(real), _display(real)
    if target.endswith((".yaml", ".yml")) or os.sep in target or "/" in target or path.is_file():
        return str(path), target
    raise UsageError(f"no bundled case study {target!r} and no such file{did_you_mean(target, bundled_ids())}; "
                     "`mlsd-diagrams list` shows the case studies")


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
