"""Run Graphviz's ``dot`` once for a diagram, writing every requested format from one layout."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import sys
import threading
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
    """Lay ``source`` out once and write each format to its path. Returns Graphviz's warnings.

    ``dot`` runs in a session of its own, so a terminal's Ctrl-C reaches us rather than it, and dies with
    us: we kill it when the render is interrupted or fails, and on Linux the kernel kills it if this
    process is killed outright (SIGKILL), through ``setpriv --pdeathsig``.
    """
    cmd = [*_dies_with_us(), dot_path(), *extra]
    for fmt, path in outputs.items():
        cmd += [f"-T{DEVICES[fmt]}", "-o", str(Path(path).absolute())]  # absolute: a folder named -x is no option
    # SOURCE_DATE_EPOCH keeps any dated output fixed (same spec, same bytes); our PDFs come from raster.py.
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    limit = timeout if timeout is not None else _timeout_setting()
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, start_new_session=True)
    except OSError as e:
        raise GraphvizError(f"could not run Graphviz ({dot_path()}): {e.strerror}") from None
    with _RUNNING_LOCK:
        _RUNNING.add(proc)
    try:
        _, stderr = proc.communicate(source.encode(), timeout=limit)
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"Graphviz took longer than {limit:g} s and was stopped; simplify the diagram "
                            "or raise the limit with MLSD_DOT_TIMEOUT (seconds)") from None
    finally:
        if proc.poll() is None:  # interrupted, timed out, or failed while it ran
            _kill(proc)
        with _RUNNING_LOCK:
            _RUNNING.discard(proc)
    noise = _NOISE if set(outputs) == {"json"} else ()
    messages = [line.strip() for line in stderr.decode(errors="replace").splitlines()
                if line.strip() and not any(n in line for n in noise)]
    if proc.returncode != 0:
        detail = "\n".join(messages) or f"exit status {proc.returncode}"
        raise GraphvizError(f"Graphviz failed:\n{detail}")
    return messages


_RUNNING: set[subprocess.Popen] = set()  # dot processes under way, so an interruption can stop them all
_RUNNING_LOCK = threading.Lock()


def stop_all() -> None:
    """Kill every ``dot`` still running (the render was interrupted)."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for proc in running:
        _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL) if hasattr(os, "killpg") else proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


@functools.cache
def _dies_with_us() -> tuple[str, ...]:
    """On Linux, a prefix that makes the kernel kill ``dot`` when the thread that started it dies."""
    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    if setpriv and subprocess.run([setpriv, "--pdeathsig", "KILL", "true"], capture_output=True).returncode == 0:
        return (setpriv, "--pdeathsig", "KILL")
    return ()


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
