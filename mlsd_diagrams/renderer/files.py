"""Writing output files so that a reader never sees half a file.

Everything is written under a temporary name in the target folder and renamed
into place (``os.replace`` is atomic on one file system). A render that fails
part-way leaves the files it had not reached exactly as they were, and no
temporary files behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A private scratch folder inside ``out_dir``, removed whatever happens."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".mlsd-", dir=out_dir))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def publish(staged: Path, final: Path) -> None:
    """Move a finished file from the staging folder into place atomically."""
    os.chmod(staged, 0o644)
    os.replace(staged, final)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write one file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        publish(Path(tmp), path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
