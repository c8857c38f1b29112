"""Custom icons: a node's ``icon`` is a built-in pictogram name or a PNG file inside the spec's own folder.

Specs travel, so a path in one must never reach a file its author has no
business reading. The schema (``IconRef``) accepts only a relative path made
of plain names (no absolute path, no ``..``, no hidden file) ending in
``.png``; the loader then resolves it (``resolve_icon``) against the spec's
folder, following symlinks, and keeps it only if it still lies inside that
folder and is a small PNG image. Only such checked paths ever reach Graphviz,
and the SVG finisher embeds their bytes, so the output references no file.
"""

from __future__ import annotations

import base64
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..core.reads import note
from ..core.suggest import did_you_mean
from ..core.types import Ctx, Type, describe
from ..core.yamlsrc import Map, shown

MAX_ICON_BYTES = 512 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PART = r"[A-Za-z0-9_][A-Za-z0-9_. -]*"
ICON_PATH_PATTERN = rf"^{_PART}(/{_PART})*\.[Pp][Nn][Gg]$"
_PATH_RE = re.compile(ICON_PATH_PATTERN)
_UNSAFE_IN_FULL_PATH = re.compile(r'["\x00-\x1f\x7f]')  # Graphviz writes the path into the SVG unescaped


@dataclass(frozen=True)
class IconFile:
    """A custom icon that passed every check: its absolute, symlink-free path, a hash of its bytes (the hash
    makes the render cache notice an edited image) and the bytes checked, which every export embeds
    rather than reading the file again."""

    path: str
    sha256: str
    data: bytes = field(default=b"", repr=False, compare=False)


class IconError(ValueError):
    """Why a custom icon path is refused (the message is shown to the spec's author)."""


def is_icon_path(icon: str | None) -> bool:
    """Built-in pictograms are plain names; anything with a dot or a slash is meant as a file."""
    return icon is not None and any(c in icon for c in "./\\")


def path_problem(icon: str) -> str | None:
    """What is wrong with ``icon`` as a relative image path, judged from the text alone."""
    if len(icon) > 200:
        return f"icon path is {len(icon):,} characters long; the limit is 200"
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:/", icon) and not re.match(r"^[A-Za-z]:/", icon):
        return f"icon {shown(icon)} is a URL; a custom icon is a .png file inside the spec's folder"
    if icon.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", icon):
        return (f"icon path {shown(icon)} is not relative to the spec's folder; write it as a path inside "
                "that folder, e.g. icons/db.png")
    if "\\" in icon:
        return f"icon path {shown(icon)} uses '\\'; separate folders with '/'"
    parts = icon.split("/")
    if ".." in parts:
        return f"icon path {shown(icon)} leaves the spec's folder ('..'); keep icons inside it"
    if not icon.lower().endswith(".png"):
        return f"icon file {shown(icon)} is not a .png image; custom icons must be PNG files"
    if not _PATH_RE.match(icon):
        return (f"icon path {shown(icon)} is not allowed: use folder and file names made of letters, digits, "
                "'_', '-', '.' and spaces, each starting with a letter, digit or '_', separated by '/'")
    return None


def resolve_icon(folder: str | Path, icon: str) -> IconFile:
    """The checked file for a relative icon path; ``IconError`` says why it is refused."""
    problem = path_problem(icon)
    if problem:
        raise IconError(problem)
    root = os.path.realpath(folder)
    real = os.path.realpath(os.path.join(root, icon))
    try:
        inside = os.path.commonpath([root, real]) == root
    except ValueError:  # another drive on Windows
        inside = False
    if not inside:
        raise IconError(f"icon {shown(icon)} is a link to a file outside the spec's folder; "
                        "copy the image into the folder instead")
    if _UNSAFE_IN_FULL_PATH.search(real):
        raise IconError(f"the full path of icon {shown(icon)} contains a quote or control character, "
                        "which Graphviz cannot reference; move the spec to a plainer folder")
    data = read_png(real, icon)
    check_image(data, icon)
    import hashlib  # start-up: only specs with custom icons need it (about 2 ms to import)

    return IconFile(real, hashlib.sha256(data).hexdigest(), data)


def read_png(path: str, shown_as: str) -> bytes:
    """The bytes of a regular PNG file of at most ``MAX_ICON_BYTES``; ``IconError`` otherwise.

    Opened without blocking and checked with ``fstat`` on the open file, so a FIFO or device is
    refused rather than read, and the file checked is the file read.
    """
    note(path)
    try:
        # the path is already resolved: a symlink appearing here now was swapped in after the check
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise IconError(f"icon file {shown(shown_as)} does not exist (paths are relative to the spec's folder)") \
            from None
    except OSError as e:
        raise IconError(f"cannot read icon file {shown(shown_as)}: {e.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IconError(f"icon {shown(shown_as)} is not a regular file")
        if info.st_size > MAX_ICON_BYTES:
            raise IconError(f"icon file {shown(shown_as)} is {info.st_size / 1024:,.0f} KB; "
                            f"the limit is {MAX_ICON_BYTES // 1024} KB (a pictogram needs about 128x128 pixels)")
        data = os.read(fd, MAX_ICON_BYTES + 1)
    except OSError as e:
        raise IconError(f"cannot read icon file {shown(shown_as)}: {e.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_ICON_BYTES:
        raise IconError(f"icon file {shown(shown_as)} is larger than {MAX_ICON_BYTES // 1024} KB")
    if not data.startswith(PNG_MAGIC):
        raise IconError(f"icon file {shown(shown_as)} is not a PNG image (its first bytes are not the PNG "
                        "signature); convert it to PNG")
    return data


MAX_ICON_SIDE = 2048  # pixels; a pictogram is drawn at about 40 points


def check_image(data: bytes, shown_as: str) -> None:
    """Decode the whole image with a real decoder (Pillow, which CairoSVG already needs): a file that only
    starts like a PNG, or one whose header claims a vast image, is refused here rather than crashing
    Graphviz or cairo later."""
    from PIL import Image  # start-up: only specs with custom icons need it

    if data[12:16] == b"IHDR":  # the size the header claims, before any decoder believes it
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        if not (0 < width <= MAX_ICON_SIDE and 0 < height <= MAX_ICON_SIDE):
            raise IconError(f"icon {shown(shown_as)} is {width} x {height} pixels; the limit is "
                            f"{MAX_ICON_SIDE} on each side (a pictogram needs about 128 x 128)")
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            width, height = image.size
            if not (0 < width <= MAX_ICON_SIDE and 0 < height <= MAX_ICON_SIDE):
                raise IconError(f"icon {shown(shown_as)} is {width} x {height} pixels; the limit is "
                                f"{MAX_ICON_SIDE} on each side (a pictogram needs about 128 x 128)")
            image.load()
    except IconError:
        raise
    except Exception as e:  # Pillow raises many kinds of error for a damaged file
        raise IconError(f"icon file {shown(shown_as)} is not a readable PNG image ({type(e).__name__}); "
                        "save it again as PNG") from None


def png_data_uri(path: str) -> str | None:
    """A ``data:`` URI of a custom icon, re-checked at the moment it is embedded; None if it fails."""
    try:
        return "data:image/png;base64," + base64.b64encode(read_png(path, path)).decode("ascii")
    except IconError:
        return None


class IconRef(Type):
    """A built-in pictogram name, or a relative path to a PNG file in the spec's folder."""

    def __init__(self, builtins: tuple[str, ...], description: str = ""):
        self.builtins = builtins
        self.description = description

    def check(self, value, pos, path, ctx: Ctx) -> bool:
        if not isinstance(value, str):
            ctx.error(pos, path, f"expected an icon name or a relative path to a .png file, found {describe(value)}")
            return False
        if value in self.builtins:
            return True
        if not is_icon_path(value):
            ctx.error(pos, path, f"unknown icon {shown(value)}; expected one of: {', '.join(self.builtins)}, "
                      f"or a relative path to a .png file{did_you_mean(value, self.builtins)}")
            return False
        problem = path_problem(value)
        if problem:
            ctx.error(pos, path, problem)
            return False
        return True

    def json(self):
        return self._doc({"anyOf": [{"enum": list(self.builtins)},
                                    {"type": "string", "maxLength": 200, "pattern": ICON_PATH_PATTERN}]})


def resolve_icon_files(tree: object, folder: str | Path | None, ctx: Ctx) -> dict[tuple[str, str], IconFile]:
    """Check every custom icon in a spec tree: (diagram id, node id) -> its checked file.

    Runs even when the schema found other errors (so every problem is reported at once): parts of the
    wrong shape are skipped, and so are paths the schema already refused.
    """
    found: dict[tuple[str, str], IconFile] = {}
    diagrams = tree.get("diagrams") if isinstance(tree, Map) else None
    for did, diagram in (diagrams.items() if isinstance(diagrams, Map) else ()):
        nodes = diagram.get("nodes") if isinstance(diagram, Map) else None
        for nid, node in (nodes.items() if isinstance(nodes, Map) else ()):
            icon = node.get("icon") if isinstance(node, Map) else None
            if not isinstance(icon, str) or not is_icon_path(icon) or path_problem(icon):
                continue
            where = f"diagrams.{did}.nodes.{nid}.icon"
            if folder is None:
                ctx.error(node.vpos["icon"], where, "a custom icon is resolved from the spec file's folder; "
                          "this spec was not read from a file")
                continue
            try:
                found[did, nid] = resolve_icon(folder, icon)
            except IconError as e:
                ctx.error(node.vpos["icon"], where, str(e))
    return found
