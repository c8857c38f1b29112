"""Writing output files so that a reader never sees half a file.

Everything is written under a temporary name in the target folder and renamed
into place (``os.replace`` is atomic on one file system). A render that fails
part-way (a Graphviz error, Ctrl-C, a full disk) leaves the files it had not
reached exactly as they were, and no temporary files behind; two renders into
one folder each use their own temporary names, so the last rename wins with a
complete file. A failure to write becomes an ``OutputError`` (exit code 3)
naming the file and the system's reason.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..core.errors import OutputError

TEMP_PREFIX = ".mlsd-"  # every temporary name starts so (.gitignore ignores it)
STALE_AFTER = 3600  # seconds; only a killed process (SIGKILL, power cut) leaves temporaries this old


@contextlib.contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A private scratch folder inside ``out_dir``, removed whatever happens; the folders it had to create
    are removed too when nothing was written into them (a failed render leaves no empty folders)."""
    with _FOLDERS:  # renders run in threads: none removes a folder another is about to stage in
        _MADE.update(p for p in (out_dir, *out_dir.parents) if not p.exists())
        try:
            tmp = _scratch(out_dir)
        except OSError as e:
            _remove_empty(out_dir)
            raise OutputError(explain(e, out_dir, "create the output folder")) from None
    try:
        yield tmp
    except OSError as e:  # writing or renaming in the body: disk full, no permission, read-only file system
        raise OutputError(explain(e, out_dir, "write into")) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        with _FOLDERS:
            _remove_empty(out_dir)


_FOLDERS = threading.Lock()
_MADE: set[Path] = set()  # folders this process made for output; the last staging to leave one empty removes it


def _scratch(out_dir: Path, attempts: int = 3) -> Path:
    """Make ``out_dir`` and a private folder in it. Another process's failed render may remove the folder
    (empty, and made by it) between the two steps; then it is made again."""
    while True:
        out_dir.mkdir(parents=True, exist_ok=True)
        sweep_stale(out_dir)
        try:
            return Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=out_dir))
        except FileNotFoundError:
            attempts -= 1
            if not attempts:
                raise


def _remove_empty(out_dir: Path) -> None:
    """Remove ``out_dir`` and the folders above it that this process made, innermost first, as long as they
    are empty (nothing was written, and no other render is staging in them)."""
    for folder in (out_dir, *out_dir.parents):
        if folder not in _MADE:
            return
        try:
            folder.rmdir()
        except OSError:
            return
        _MADE.discard(folder)


def publish(staged: Path, final: Path) -> list[int]:
    """Move a finished file from the staging folder into place atomically; returns its signature (size,
    modification time, inode), taken before the move, so a file another process puts there later differs."""
    outside = final.parent.resolve() != staged.parent.parent.resolve()
    if outside or os.sep in final.name or final.name in ("", ".", ".."):
        raise OutputError(f"refusing to write {final}: it is outside the output folder {staged.parent.parent}")
    os.chmod(staged, 0o644)
    signature = file_signature(staged)
    os.replace(staged, final)
    return signature


def file_signature(path: Path) -> list[int]:
    """Size, modification time and inode: what tells that a file is the one we wrote."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write one file atomically."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        raise OutputError(explain(e, path, "write")) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


def explain(e: OSError, where: Path, doing: str) -> str:
    """A one-line, actionable message for a failed write."""
    target = where if not e.filename or TEMP_PREFIX in str(e.filename) else e.filename  # never a temporary name
    hint = {
        errno.ENOSPC: "; free some space and render again",
        errno.EDQUOT: "; free some space and render again",
        errno.EACCES: "; check the folder's permissions or choose another --out",
        errno.EPERM: "; check the folder's permissions or choose another --out",
        errno.EROFS: "; choose another --out",
        errno.EEXIST: "; a file of that name is in the way",
        errno.ENOTDIR: "; a file of that name is in the way",
    }.get(e.errno or 0, "")
    reason = e.strerror or str(e)
    return f"cannot {doing} {target}: {reason}{hint}. Files already in place were left as they were."


def sweep_stale(folder: Path, older_than: float = STALE_AFTER) -> None:
    """Remove temporaries that a killed render left in ``folder``; a live render's are younger."""
    limit = time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX) or not (entry.name.endswith(".tmp") or entry.is_dir()):
            continue
        with contextlib.suppress(OSError):
            if entry.stat(follow_symlinks=False).st_mtime < limit:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
