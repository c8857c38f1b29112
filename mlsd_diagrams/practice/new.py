"""New: start your own design from a case study, as a full copy or as a short spec that ``extends`` it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from pathlib import Path

from ..core.errors import UsageError
from ..core.types import ID_PATTERN

_SCHEMA_COMMENT = re.compile(r"^#\s*yaml-language-server:.*\n", re.MULTILINE)


def new_spec(name: str, source: str, out_dir: Path | str = ".", *, force: bool = False,
             extends: bool = False) -> Path:
    """Write ``<out_dir>/<name>.yaml`` from the case study or spec ``source``; returns the path.

    The copy keeps the source's text and comments, with ``id`` set to ``name``. With ``extends`` the
    file instead says ``extends: <source>`` and shows, commented out, how to add, replace and remove.
    An existing file is never overwritten unless ``force``.
    """
    from ..catalog import resolve
    from ..core.yamlsrc import Map, parse_file
    from ..spec import load

    name = name[:-5] if name.endswith(".yaml") else name
    if not re.match(ID_PATTERN, name) or len(name) > 64:
        raise UsageError(f"{name!r} is not a spec id: use snake_case (a lowercase letter, then lowercase "
                         "letters, digits or '_'), e.g. my_search")
    spec = load(source)  # the source must be valid: a copy of a broken spec helps nobody
    path, _ = resolve(source)
    target = Path(out_dir) / f"{name}.yaml"
    if extends:
        text = _extends_stub(name, source, spec, Path(path), target)
    else:
        text = Path(path).read_text(encoding="utf-8")
        tree, _ = parse_file(path)
        if not isinstance(tree, Map):
            raise UsageError(f"{source} is not a spec (its top level is not a mapping)")
        if "extends" in tree and not _is_bundled(source):
            raise UsageError(f"{source} extends another spec; copy that one, or use --extends to build on "
                             f"{source} without copying it")
        line = tree.vpos["id"].line
        lines = text.splitlines(keepends=True)
        lines[line - 1] = re.sub(r"^id:\s*\S+", f"id: {name}", lines[line - 1], count=1)
        text = _SCHEMA_COMMENT.sub("", "".join(lines), count=1)  # its relative path points into the package
    text = modeline() + text
    _write_new(target, text, force)
    return target


def modeline() -> str:
    """The first line that points editors (yaml-language-server) at the installed schema: completion and
    checking as you type."""
    schema = Path(__file__).resolve().parent.parent / "spec.schema.json"
    return f"# yaml-language-server: $schema={schema.as_uri()}\n"


def _is_bundled(source: str) -> bool:
    from ..catalog import bundled_ids

    return source in bundled_ids()


def _extends_stub(name: str, source: str, spec, source_path: Path, target: Path) -> str:
    if _is_bundled(source):
        base = source
    else:
        base = os.path.relpath(source_path.resolve(), target.parent.resolve()).replace(os.sep, "/")
        if base.startswith("../"):
            raise UsageError(f"{source} lies outside the folder of {target}, and a spec extends only files in its "
                             "own folder and below; write the new spec beside it (--out) or copy it instead")
    d = next(iter(spec.diagrams.values()))
    node = next(iter(d.nodes.values()))
    return (
        f"id: {name}\n"
        f"extends: {base}\n"
        f"title: {json.dumps(spec.title + ' (my version)', ensure_ascii=False)}\n"
        "\n"
        "# Change the base's diagrams by id; what you do not name stays as it is. For example:\n"
        "# diagrams:\n"
        f"#   {d.id}:\n"
        "#     nodes:        # an id the base has replaces that node; a new id adds one\n"
        f"#       {node.id}: {{label: My label, kind: {node.kind}}}\n"
        "#       cache: {label: Cache, kind: store}\n"
        "#     edges:        # an edge with the same two ends replaces the base's; others are added\n"
        f"#       - {node.id} -> cache\n"
        "#     remove:       # drops parts of the base; a node takes its edges with it\n"
        "#       nodes: []\n"
        "#       groups: []\n"
        "#       edges: []\n"
    )


def _write_new(target: Path, text: str, force: bool) -> None:
    """Write atomically; without ``force`` the final step (a hard link) fails if the file exists, so even a
    file created meanwhile is never overwritten."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; pass --force to overwrite it")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        if force:
            os.replace(tmp, target)
        else:
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise UsageError(f"{target} already exists; pass --force to overwrite it") from None
            except OSError:  # no hard links on this file system
                with open(target, "x", encoding="utf-8", newline="\n") as f:
                    f.write(text)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
