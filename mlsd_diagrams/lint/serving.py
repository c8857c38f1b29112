"""Rules about the serving side of a system design: retrieval before ranking, re-ranking, the
nearest-neighbour index and the feature store."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.errors import Severity
from ..spec.model import Diagram, Spec
from .registry import Finding, rule
from .roles import is_system, reaches, roles, text_words, with_role


def _systems(spec: Spec) -> Iterator[tuple[Diagram, dict[str, str]]]:
    for d in spec.diagrams.values():
        if is_system(d):
            yield d, roles(d)


@rule("ranking-without-retrieval", "ch. 6")
def ranking_without_retrieval(spec: Spec) -> Iterator[Finding]:
    """A ranking stage that no candidate generation or retrieval stage feeds."""
    for d, found in _systems(spec):
        narrowing = with_role(d, found, "retrieval", "nn-search")
        for nid in with_role(d, found, "ranking"):
            if not reaches(d, narrowing, [nid]):
                yield Finding(d.nodes[nid].pos, f"{nid!r} ranks with no candidate generation or retrieval stage "
                              "before it; a heavy ranker cannot score a large corpus per request, so narrow it "
                              "to hundreds or thousands of candidates first", d.id)


def _joined_index(d: Diagram, found: dict[str, str], nid: str) -> bool:
    ends = {e.dst for e in d.edges if e.src == nid} | {e.src for e in d.edges if e.dst == nid}
    return any(found.get(x) == "index" for x in ends)


@rule("nn-without-index", "ch. 2", Severity.ERROR)
def nn_without_index(spec: Spec) -> Iterator[Finding]:
    """A nearest-neighbour service joined to no index of embeddings."""
    # A diagram that zooms into the search itself (exact or approximate) need not redraw the index that the
    # spec's system diagram joins it to.
    systems = list(_systems(spec))
    if any(_joined_index(d, found, nid) for d, found in systems for nid in with_role(d, found, "nn-search")):
        return
    for d, found in systems:
        for nid in with_role(d, found, "nn-search"):
            yield Finding(d.nodes[nid].pos, f"nearest-neighbour service {nid!r} is joined to no index; "
                          "draw the index table of embeddings it searches (e.g. nn <-> index)", d.id)


def _filled(d: Diagram, found: dict[str, str], nid: str) -> bool:
    return any((e.dst == nid and e.arrow == "->" and found.get(e.src) not in ("nn-search", "retrieval"))
               or (nid in (e.src, e.dst) and e.arrow != "->"
                   and found.get(e.dst if e.src == nid else e.src) in ("indexer", "encoder", "training"))
               for e in d.edges)


@rule("index-never-filled", "ch. 2")
def index_never_filled(spec: Spec) -> Iterator[Finding]:
    """An index that nothing writes embeddings into."""
    systems = list(_systems(spec))
    if any(_filled(d, found, nid) for d, found in systems for nid in with_role(d, found, "index")):
        return  # the spec's indexing pipeline is drawn; a close-up of serving need not repeat it
    for d, found in systems:
        for nid in with_role(d, found, "index"):
            yield Finding(d.nodes[nid].pos, f"nothing fills index {nid!r}; add the indexing pipeline that "
                          "embeds new items and writes them in (e.g. indexer -> index)", d.id)


def _recommends(spec: Spec) -> bool:
    framing = spec.framework.get("framing") or {}
    w = text_words(spec.title, framing.get("objective", ""), framing.get("category", ""))
    return "feed" in w or any(x.startswith("recommend") for x in w)


@rule("recommendation-without-rerank", "ch. 6")
def recommendation_without_rerank(spec: Spec) -> Iterator[Finding]:
    """A recommendation system whose ranked list goes out with no re-ranking stage."""
    if not _recommends(spec):
        return
    systems = [(d, found) for d, found in _systems(spec) if with_role(d, found, "ranking", "retrieval", "nn-search")]
    if not systems or any(with_role(d, found, "reranking") for d, found in systems):
        return
    d = max(systems, key=lambda s: len(s[0].nodes))[0]  # the whole system, not a close-up of one stage
    yield Finding(d.pos, f"recommendation system {d.id!r} has no re-ranking stage; add one for business "
                  "rules, diversity, freshness and removing seen, duplicate or unsafe items", d.id)


_OFFLINE = {"batch", "offline"}


@rule("online-features-without-store", "ch. 8")
def online_features_without_store(spec: Spec) -> Iterator[Finding]:
    """Features computed for online prediction with no feature store to read precomputed ones from."""
    systems = list(_systems(spec))
    if any(with_role(d, found, "feature-store") for d, found in systems):
        return
    for d, found in systems:
        consumers = [nid for nid, n in d.nodes.items()
                     if n.kind == "model" or found.get(nid) in ("ranking", "encoder")]
        for nid in with_role(d, found, "features"):
            context = [d.nodes[nid].label, *(d.groups[g].label for g in d.ancestors(nid))]
            if not text_words(*context) & _OFFLINE and reaches(d, [nid], consumers):
                yield Finding(d.nodes[nid].pos, f"{nid!r} prepares features for online prediction but the design "
                              "has no feature store; precompute the static features in batch and look them up "
                              "at request time", d.id)
