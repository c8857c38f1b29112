"""``extends``: a spec that starts from another one and adds, replaces or removes parts of it.

The merge works on the positioned YAML trees (``yamlsrc.Map``/``Seq``) before
the schema check, so every value keeps the file, line and column it was
written at: a problem in an inherited node is reported in the base file, a
problem in a change in the extending file.

Rules, per diagram id:

- a diagram the base does not have is added as written;
- ``nodes`` and ``groups``: an id the base has replaces that entry (in place,
  so the layout keeps its order); a new id is added;
- ``edges``: an edge with the same two ends, in the same order, replaces the
  base's; any other edge is added;
- ``rank`` rows are added;
- ``remove: {nodes, groups, edges}`` drops parts of the base first: a node
  takes its edges, group memberships and rank places with it; a group's
  members move to the group around it; naming something the base does not
  have is an error;
- any other key (title, direction, caption, step) replaces the base's.

At the top, ``framework`` steps replace the base's one by one; other keys
replace the base's; ``id`` is never inherited. ``extends`` names a bundled
case study (``visual_search``) or a ``.yaml`` file in the extending file's
folder or below it (``bases/search.yaml``). Nothing outside that folder, even
through ``..`` or a symlink, and no absolute path: a spec from someone else
must not make us read (and quote in error messages) the user's other files,
the rule custom icons follow too. Chains work; a cycle is an error.
"""

from __future__ import annotations

import os
import re
from pathlib import PureWindowsPath
from typing import NoReturn

from ..catalog import bundled_ids, resolve
from ..core.errors import Pos, Problem, SpecError
from ..core.suggest import did_you_mean
from ..core.types import ID_PATTERN, Ctx, describe
from ..core.yamlsrc import Map, Seq, parse_file
from .arrows import ArrowError, parse_arrows
from .model import REMOVE

MAX_CHAIN = 10  # specs extending specs; deeper than this is a mistake


def apply_extends(tree: object, path: str, name: str, problems: list[Problem]) -> object:
    """The tree with its ``extends`` chain merged in; new problems are appended to ``problems``.

    Raises ``SpecError`` (with ``problems`` so far) when the base cannot be found or read.
    """
    return _resolve(tree, path, name, problems, chain=())


def _resolve(tree, path: str, name: str, problems: list[Problem], chain: tuple) -> object:
    if not isinstance(tree, Map) or "extends" not in tree:
        problems.extend(_stray_removes(tree))
        return tree
    here = (os.path.realpath(path), name)
    chain = (*chain, here)
    vpos = tree.vpos["extends"]
    base_path, base_name = _locate(tree["extends"], vpos, path, name, problems)
    real = os.path.realpath(base_path)
    if real in (c[0] for c in chain):
        start = [c[0] for c in chain].index(real)
        shown = " -> ".join([c[1] for c in chain[start:]] + [base_name])
        _fail(problems, vpos, f"extends: specs extend each other in a cycle: {shown}")
    if len(chain) >= MAX_CHAIN:
        _fail(problems, vpos, f"extends: the chain of specs is more than {MAX_CHAIN} long; "
                              "extend a spec nearer the original")
    try:
        base, base_problems = parse_file(base_path, base_name)
    except SpecError as e:
        raise SpecError([*problems, *e.problems]) from None
    problems.extend(base_problems)
    base = _resolve(base, base_path, base_name, problems, chain)
    if not isinstance(base, Map):
        _fail(problems, vpos, f"extends: {base_name} is not a spec: it holds {describe(base)}, not a mapping "
                              "with id, title and diagrams")
    return _merge_spec(base, tree, str(tree["extends"]).strip(), problems)


def _locate(value, vpos: Pos, path: str, name: str, problems: list[Problem]) -> tuple[str, str]:
    """(file to read, name to show) for the value of ``extends``."""
    expected = "a bundled case study id (such as visual_search) or a relative path to a .yaml file"
    if not isinstance(value, str) or not value.strip():
        _fail(problems, vpos, f"extends: expected {expected}, found {describe(value)}")
    value = value.strip()
    if "/" not in value and "\\" not in value and not value.endswith((".yaml", ".yml")):
        if value not in bundled_ids():
            _fail(problems, vpos, f"extends: no bundled case study {value!r}{did_you_mean(value, bundled_ids())}; "
                                  "a path to your own spec ends in .yaml")
        return resolve(value)
    if os.path.isabs(value) or PureWindowsPath(value).is_absolute() or PureWindowsPath(value).drive \
            or value.startswith("~"):
        _fail(problems, vpos, f"extends: {value!r} is an absolute path, which does not travel with the spec; "
                              "write the path relative to this file's folder")
    if not value.endswith((".yaml", ".yml")):
        _fail(problems, vpos, f"extends: {value!r} is not a .yaml file; expected {expected}")
    base_path = os.path.join(os.path.dirname(path), value)
    base_name = os.path.normpath(os.path.join(os.path.dirname(name), value))
    # Decided on the resolved path, before anything is opened: no reading outside, and no telling
    # whether a file outside exists.
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    if os.path.commonpath([folder, os.path.realpath(base_path)]) != folder:
        _fail(problems, vpos, f"extends: {value!r} lies outside this spec's folder; a spec reads files only from "
                              "its own folder and below (put the base beside it, or name a bundled case study)")
    if not os.path.isfile(base_path):
        _fail(problems, vpos, f"extends: there is no file {value!r} next to this spec (looked for {base_name})")
    return base_path, base_name


def _fail(problems: list[Problem], pos: Pos, message: str) -> NoReturn:
    raise SpecError([*problems, Problem(pos, message)])


def _stray_removes(tree) -> list[Problem]:
    """``remove`` only means something in a spec that extends another."""
    diagrams = tree.get("diagrams") if isinstance(tree, Map) else None
    if not isinstance(diagrams, Map):
        return []
    return [Problem(d.kpos["remove"], f"diagrams.{did}.remove: only a spec that extends another can remove "
                    "parts of it; add 'extends: <case study id or path>' at the top")
            for did, d in diagrams.items() if isinstance(d, Map) and "remove" in d]


# --- building located values -------------------------------------------------------------------

def _copy_map(m: Map, skip: tuple[str, ...] = ()) -> Map:
    out = Map(m.pos)
    for k, v in m.items():
        if k not in skip:
            _put(out, k, v, m.kpos[k], m.vpos[k])
    return out


def _put(m: Map, key: str, value, kpos: Pos, vpos: Pos) -> None:
    m[key] = value
    m.kpos[key] = kpos
    m.vpos[key] = vpos


def _seq(pos: Pos, items: list[tuple[object, Pos]]) -> Seq:
    out = Seq(pos)
    for value, ipos in items:
        out.append(value)
        out.ipos.append(ipos)
    return out


def _items(seq) -> list[tuple[object, Pos]]:
    return list(zip(seq, seq.ipos, strict=True)) if isinstance(seq, Seq) else []


# --- merging -----------------------------------------------------------------------------------

def _merge_spec(base: Map, ext: Map, base_label: str, problems: list[Problem]) -> Map:
    out = _copy_map(base, skip=("id", "extends"))
    out.pos = ext.pos
    for key, value in ext.items():
        if key == "extends":
            continue  # the merged spec stands on its own and is checked in full
        old = out.get(key)
        if key == "framework" and isinstance(value, Map) and isinstance(old, Map):
            value = _merge_map(old, value)
        elif key == "diagrams" and isinstance(value, Map) and isinstance(old, Map):
            value = _merge_diagrams(old, value, base_label, problems)
        _put(out, key, value, ext.kpos[key], ext.vpos[key])
    return out


def _merge_map(base: Map, ext: Map) -> Map:
    """Entries of ``ext`` replace the base's in place; new ones are added at the end."""
    out = _copy_map(base)
    for k, v in ext.items():
        _put(out, k, v, ext.kpos[k], ext.vpos[k])
    return out


def _merge_diagrams(base: Map, ext: Map, base_label: str, problems: list[Problem]) -> Map:
    out = _copy_map(base)
    for did, d in ext.items():
        if did in base and isinstance(d, Map) and isinstance(base[did], Map):
            d = _merge_diagram(did, base[did], d, base_label, problems)
        elif isinstance(d, Map) and "remove" in d:
            problems.append(Problem(d.kpos["remove"], f"diagrams.{did}.remove: {base_label} has no diagram {did!r}, "
                                    f"so there is nothing to remove{did_you_mean(did, base)}"))
        _put(out, did, d, ext.kpos[did], ext.vpos[did])
    return out


def _merge_diagram(did: str, base: Map, ext: Map, base_label: str, problems: list[Problem]) -> Map:
    out = _copy_map(base)
    if "remove" in ext:
        ctx = Ctx()
        REMOVE.check(ext["remove"], ext.vpos["remove"], f"diagrams.{did}.remove", ctx)
        problems.extend(ctx.problems)
        if isinstance(ext["remove"], Map):  # apply what is well formed; the check reported the rest
            _Removal(out, did, base_label, problems).apply(ext["remove"])
    for key, value in ext.items():
        old = out.get(key)
        if key == "remove":
            continue
        if key in ("nodes", "groups") and isinstance(value, Map) and isinstance(old, Map):
            value = _merge_map(old, value)
        elif key == "edges" and isinstance(value, Seq) and isinstance(old, Seq):
            value = _merge_edges(old, value)
        elif key == "rank" and isinstance(value, Seq) and isinstance(old, Seq):
            value = _seq(value.pos, _items(old) + _items(value))
        _put(out, key, value, ext.kpos[key], ext.vpos[key])
    return out


def _merge_edges(base: Seq, ext: Seq) -> Seq:
    """Base edges, each replaced in place by an extending edge with the same ends; then the new ones."""
    merged = [h for item, pos in _items(base) for h in _hops(item, pos)]
    first: dict[tuple[str, str] | None, int] = {}
    for i, (key, _, _) in enumerate(merged):
        first.setdefault(key, i)
    replaced: set[tuple[str, str]] = set()
    added: list[tuple[object, Pos]] = []
    for item, pos in _items(ext):
        for key, hop, hpos in _hops(item, pos):
            if key is not None and key in first and key not in replaced:
                replaced.add(key)
                merged[first[key]] = (key, hop, hpos)
            else:
                added.append((hop, hpos))
    kept = [(hop, hpos) for i, (key, hop, hpos) in enumerate(merged)
            if key is None or key not in replaced or first[key] == i]
    return _seq(ext.pos, kept + added)


def _hops(item, pos: Pos) -> list[tuple[tuple[str, str] | None, object, Pos]]:
    """An edge item -> one item per hop, keyed by its ends: ``a -> b -> c`` becomes ``a -> b`` and
    ``b -> c``, each cut out of the text so its columns stay right. Items that do not parse stay whole
    (key None) for the schema check to report."""
    if isinstance(item, str):
        text, tpos = item, pos
    elif isinstance(item, Map) and len(item) == 1:
        text = next(iter(item))
        tpos = item.kpos[text]
    else:
        return [(None, item, pos)]
    try:
        hops = parse_arrows(str(text))
    except ArrowError:
        return [(None, item, pos)]
    if len(hops) == 1:
        return [((hops[0].src, hops[0].dst), item, pos)]
    out: list[tuple[tuple[str, str] | None, object, Pos]] = []
    for h in hops:
        piece = text[h.src_col:h.dst_col + len(h.dst)]
        ppos = tpos._replace(col=tpos.col + h.src_col)
        if isinstance(item, str):
            out.append(((h.src, h.dst), piece, ppos))
        else:
            one = Map(item.pos)
            _put(one, piece, item[text], ppos, item.vpos[text])
            out.append(((h.src, h.dst), one, pos))
    return out


def _is_id(value) -> bool:
    return isinstance(value, str) and bool(re.match(ID_PATTERN, value))


class _Removal:
    """Drops what a diagram's ``remove`` names from a copy of the base diagram."""

    def __init__(self, d: Map, did: str, base_label: str, problems: list[Problem]):
        self.d, self.did, self.base_label, self.problems = d, did, base_label, problems
        self.path = f"diagrams.{did}.remove"

    def apply(self, remove: Map) -> None:
        # Edges first, so removing a node and one of its edges is not "no such edge".
        for key, step in (("edges", self.edges), ("groups", self.groups), ("nodes", self.nodes)):
            # What is not an id (or an edge) at all has been reported by the schema check.
            ok = (lambda v: isinstance(v, str)) if key == "edges" else _is_id
            names = [(str(v), p) for v, p in _items(remove.get(key)) if ok(v)]
            if names:
                step(names)

    def _missing(self, pos: Pos, what: str, name: str, have, hint: str = "") -> None:
        self.problems.append(Problem(pos, f"{self.path}.{what}s: {self.base_label} has no {what} {name!r} in "
                                     f"diagram {self.did!r}{hint or did_you_mean(name, have)}"))

    def _blame(self, ids, pos: Pos) -> None:
        """Nodes that lost edges to this ``remove`` answer for it there: a warning such as "node x has no
        edges" points at the removal in the extending file, not at the base file that never said so."""
        nodes = self._table("nodes")
        blamed = [nid for nid in ids if isinstance(nodes.get(nid), Map)]
        if blamed:
            moved = _copy_map(nodes)
            for nid in blamed:
                node = _copy_map(nodes[nid])
                node.pos = pos
                _put(moved, nid, node, pos, pos)
            self._set("nodes", moved)

    def _table(self, key: str) -> Map:
        value = self.d.get(key)
        return value if isinstance(value, Map) else Map(self.d.pos)

    def _set(self, key: str, value) -> None:
        _put(self.d, key, value, self.d.kpos.get(key, self.d.pos), self.d.vpos.get(key, self.d.pos))

    def edges(self, names: list[tuple[str, Pos]]) -> None:
        hops = [h for item, pos in _items(self.d.get("edges")) for h in _hops(item, pos)]
        drop = set()
        for text, pos in names:
            try:
                parsed = parse_arrows(text)
            except ArrowError:
                continue  # the schema check has reported it
            for h in parsed:
                found = [i for i, (key, _, _) in enumerate(hops) if key == (h.src, h.dst)]
                if found:
                    drop.update(found)
                    self._blame((h.src, h.dst), pos)
                    continue
                reverse = any(key == (h.dst, h.src) for key, _, _ in hops)
                hint = f" (it has an edge from {h.dst} to {h.src}: name the ends in the order the base writes " \
                    "them)" if reverse else ""
                self._missing(pos._replace(col=pos.col + h.src_col), "edge", f"{h.src} {h.arrow} {h.dst}",
                              (), hint)
        if drop:
            kept = [(item, pos) for i, (_, item, pos) in enumerate(hops) if i not in drop]
            self._set("edges", _seq(self.d["edges"].pos, kept))

    def groups(self, names: list[tuple[str, Pos]]) -> None:
        groups = self._table("groups")
        for gid, pos in names:
            if gid not in groups:
                self._missing(pos, "group", gid, groups)
                continue
            gone = groups[gid]
            groups = _copy_map(groups, skip=(gid,))
            for pid, g in list(groups.items()):
                if isinstance(g, Map) and gid in (g.get("groups") or []):
                    groups[pid] = self._rehome(g, gid, gone)
            self._set("groups", groups)

    @staticmethod
    def _rehome(parent: Map, gid: str, gone) -> Map:
        """The parent of a removed group takes over its nodes and nested groups."""
        out = _copy_map(parent)
        inner = gone if isinstance(gone, Map) else Map(parent.pos)
        for key in ("groups", "nodes"):
            items = [(v, p) for v, p in _items(parent.get(key)) if not (key == "groups" and v == gid)]
            items += _items(inner.get(key))
            if items or key in parent:
                _put(out, key, _seq(parent.vpos.get(key, parent.pos), items), parent.kpos.get(key, parent.pos),
                     parent.vpos.get(key, parent.pos))
        return out

    def nodes(self, names: list[tuple[str, Pos]]) -> None:
        for nid, pos in names:
            nodes = self._table("nodes")
            if nid not in nodes:
                self._missing(pos, "node", nid, nodes)
                continue
            self._set("nodes", _copy_map(nodes, skip=(nid,)))
            if isinstance(self.d.get("edges"), Seq):
                hops = [h for item, ipos in _items(self.d["edges"]) for h in _hops(item, ipos)]
                kept = [(item, ipos) for key, item, ipos in hops if key is None or nid not in key]
                self._set("edges", _seq(self.d["edges"].pos, kept))
                self._blame([end for key, _, _ in hops if key and nid in key for end in key if end != nid], pos)
            groups = self._table("groups")
            if groups:
                new = _copy_map(groups)
                for gid, g in groups.items():
                    if isinstance(g, Map) and isinstance(g.get("nodes"), Seq) and nid in g["nodes"]:
                        one = _copy_map(g)
                        _put(one, "nodes", _seq(g["nodes"].pos, [(v, p) for v, p in _items(g["nodes"]) if v != nid]),
                             g.kpos["nodes"], g.vpos["nodes"])
                        new[gid] = one
                self._set("groups", new)
            if isinstance(self.d.get("rank"), Seq):
                rows = []
                for row, rpos in _items(self.d["rank"]):
                    if isinstance(row, Seq):
                        row = _seq(row.pos, [(v, p) for v, p in _items(row) if v != nid])
                        if len(row) < 2:
                            continue  # a rank hint needs two nodes
                    rows.append((row, rpos))
                self._set("rank", _seq(self.d["rank"].pos, rows))
