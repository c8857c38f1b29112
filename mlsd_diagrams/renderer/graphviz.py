"""Run Graphviz's ``dot`` once for a diagram, writing every requested format from one layout."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..core.errors import INSTALL_GRAPHVIZ, GraphvizError

DEFAULT_TIMEOUT = 60.0
DEVICES = {"svg": "svg", "png": "png", "pdf": "pdf", "json": "json"}
# Graphviz says this for every image when asked for JSON (it needs no pixels); not worth a warning.
_NOISE = ("No loadimage plugin for",)


def dot_path() -> str:
    found = shutil.which("dot")
    if not found:
        raise GraphvizError(INSTALL_GRAPHVIZ)
    return found


def run_dot(source: str, outputs: dict[str, Path], *, timeout: float | None = None,
            extra: tuple[str, ...] = ()) -> list[str]:
    """Lay ``source`` out once and write each format to its path. Returns Graphviz's warnings."""
    cmd = [dot_path(), *extra]
    for fmt, path in outputs.items():
        cmd += [f"-T{DEVICES[fmt]}", "-o", str(path)]
    # SOURCE_DATE_EPOCH keeps any dated output fixed (same spec, same bytes); our PDFs come from raster.py.
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    limit = timeout if timeout is not None else _timeout_setting()
    try:
        proc = subprocess.run(cmd, input=source.encode(), capture_output=True, timeout=limit, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"Graphviz took longer than {limit:g} s and was stopped; simplify the diagram "
                            "or raise the limit with MLSD_DOT_TIMEOUT (seconds)") from None
    except OSError as e:
        raise GraphvizError(f"could not run Graphviz ({cmd[0]}): {e.strerror}") from None
    noise = _NOISE if set(outputs) == {"json"} else ()
    messages = [line.strip() for line in proc.stderr.decode(errors="replace").splitlines()
                if line.strip() and not any(n in line for n in noise)]
    if proc.returncode != 0:
        detail = "\n".join(messages) or f"exit status {proc.returncode}"
        raise GraphvizError(f"Graphviz failed:\n{detail}")
    return messages


def _timeout_setting() -> float:
    """Seconds from MLSD_DOT_TIMEOUT (default 60); anything but a positive, finite number is an environment error."""
    raw = os.environ.get("MLSD_DOT_TIMEOUT")
    if raw is None or not raw.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise GraphvizError(f"MLSD_DOT_TIMEOUT must be a number of seconds above 0, not {raw!r}")
    return value
