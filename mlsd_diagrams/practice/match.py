"""Which of your components is which of the reference's, in your own words and ids.

Three signals decide, as a person comparing two whiteboards would:

- **labels**, word by word, after spelling out abbreviations and mapping
  ML-system synonyms to one concept ("ANN", "vector search" and "nearest
  neighbor service" are one thing; so are "vector DB" and "index table");
- **kinds**: a store is more likely a store than a service;
- **structure**: components whose neighbours match are likely to match.
  Similarity flows along the edges for a few rounds (similarity flooding),
  so "Batch embedding job" finds "Indexing service" because both sit
  between the image storage, the model and the index.

An exact one-to-one assignment (``core.assignment``) then pairs components,
keeping only pairs that are similar enough. Each pair says why it was made.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..core.assignment import best_assignment
from ..spec.model import Diagram, Node

# Abbreviations people write on whiteboards, spelled out.
ABBREVIATIONS = {
    "ann": "approximate nearest neighbor", "knn": "k nearest neighbor", "nn": "nearest neighbor",
    "db": "database", "kv": "key value", "svc": "service", "emb": "embedding", "embs": "embeddings",
    "img": "image", "imgs": "images", "vec": "vector", "rec": "recommendation", "recs": "recommendations",
    "ctr": "click through rate", "ml": "machine learning", "fe": "feature", "neighbour": "neighbor",
    "neighbours": "neighbors", "normalisation": "normalization", "preprocess": "preprocessing",
    "s3": "object storage", "gcs": "object storage", "kafka": "message queue", "lr": "logistic regression",
    "dnn": "deep neural network", "gbdt": "gradient boosted trees",
}
# Phrases that name the same ML-system concept, mapped to one token. Longest phrases are replaced first.
CONCEPTS = {
    "nnsearch": ["approximate nearest neighbor", "nearest neighbor", "vector search", "similarity search",
                 "k nearest neighbor", "ann search", "embedding search", "faiss"],
    "index": ["index table", "vector database", "vector db", "vector index", "embedding index", "vector store",
              "embedding store", "index"],
    "encoder": ["embedding generation", "embedding model", "embedding service", "encoder", "embedder",
                "feature extractor"],
    "rerank": ["re ranking", "reranking", "reranker", "re ranker", "rerank", "re rank", "post processing",
               "filtering and ranking", "business rules"],
    "retrieval": ["candidate generation", "candidate generator", "retrieval", "retriever", "candidate retrieval"],
    "ranking": ["ranking", "ranker", "scoring", "scorer"],
    "objectstore": ["object storage", "object store", "blob storage", "blob store", "image storage",
                    "file storage"],
    "preprocessing": ["preprocessing", "pre processing", "normalization", "image normalization",
                      "data preparation", "resize"],
    "featurestore": ["feature store", "feature database", "feature db", "features database"],
    "photo": ["photo", "picture", "image"],
    "user": ["user", "customer", "viewer", "member"],
    "training": ["training", "trainer", "fine tuning", "finetuning", "fine tune", "learner"],
    "queue": ["message queue", "event stream", "stream", "queue"],
    "indexer": ["indexing", "indexer", "index builder", "batch embedding", "offline embedding",
                "embedding job"],
    "new": ["new", "fresh", "recent", "newly", "incoming"],
}
_PHRASES = sorted(((p, token) for token, phrases in CONCEPTS.items() for p in phrases), key=lambda x: -len(x[0]))
_CONCEPT_TOKENS = set(CONCEPTS)

# Words that say what sort of thing a component is rather than which one: they count for less.
GENERIC = {"service", "services", "pipeline", "system", "table", "model", "layer", "store", "storage", "data",
           "component", "module", "engine", "server", "database", "api", "job", "batch", "online", "offline"}
STOP = {"a", "an", "the", "of", "for", "to", "and", "or", "in", "on", "by", "with"}
GENERIC_WEIGHT = 0.3
WORD_MATCH = 0.8  # two words are the same word above this similarity (reranker / reranking)

# How the signals combine, and when a pair counts as a match (tuned on designs written for the tests).
LABEL_WEIGHT, KIND_WEIGHT, STRUCTURE_WEIGHT = 0.55, 0.15, 0.35
SAME_ID_BONUS = 0.35
ROUNDS = 4
THRESHOLD = 0.42
MIN_LABEL = 0.2  # below this, a pair needs strong structure to match (STRONG_STRUCTURE)
STRONG_STRUCTURE = 0.7

KIND_FAMILIES = [{"service", "step", "external"}, {"store", "data", "queue"}, {"input", "output"},
                 {"actor", "client"}, {"layer", "op"}, {"tensor"}, {"model"}, {"loss"}]


def words(label: str) -> list[str]:
    """Normalised words of a label: lower case, abbreviations spelled out, synonyms made one concept,
    plurals made singular, filler words dropped."""
    text = " ".join(ABBREVIATIONS.get(w, w) for w in re.findall(r"[a-z0-9]+", label.lower().replace("-", " ")))
    text = re.sub(r"\b(\w{4,}?)s\b", lambda m: m.group(1) if not m.group(0).endswith("ss") else m.group(0), text)
    for phrase, token in _PHRASES:
        text = re.sub(rf"\b{re.escape(phrase)}s?\b", token, text)
    return [w for w in text.split() if w not in STOP]


def similarity(a: str, b: str) -> float:
    """0..1: weighted overlap of the labels' words (generic words weigh less; near-identical words count)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    unused = list(wb)
    shared = 0.0
    for w in wa:
        best = max(unused, key=lambda v: _word_similarity(w, v), default=None)
        if best is not None and _word_similarity(w, best) >= WORD_MATCH:
            unused.remove(best)
            shared += min(_weight(w), _weight(best))
    return 2 * shared / (sum(map(_weight, wa)) + sum(map(_weight, wb)))


def _weight(word: str) -> float:
    return GENERIC_WEIGHT if word in GENERIC else 1.0


def _word_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if a in _CONCEPT_TOKENS or b in _CONCEPT_TOKENS:
        return 0.0  # a concept matches itself only
    return difflib.SequenceMatcher(None, a, b).ratio()


def kind_agreement(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return 0.5 if any(a in f and b in f for f in KIND_FAMILIES) else 0.0


@dataclass(frozen=True)
class Match:
    mine: str  # node id in your diagram
    ref: str  # node id in the reference
    score: float  # 0..1, the combined similarity
    label: float  # label similarity alone
    why: tuple[str, ...]  # the reasons, in words: "same id", "synonym", "same neighbours (3 of 3)" ...

    @property
    def how(self) -> str:
        """"id" when the ids are the same, else "label"."""
        return "id" if self.mine == self.ref else "label"


def match_nodes(mine: Diagram, ref: Diagram) -> list[Match]:
    """One-to-one matches between the two diagrams' components (notes left out), in the reference's order."""
    a = [n for n in mine.nodes.values() if n.kind != "note"]
    b = [n for n in ref.nodes.values() if n.kind != "note"]
    if not a or not b:
        return []
    label = [[similarity(x.label, y.label) for y in b] for x in a]
    base = [[_base(x, y, label[i][j]) for j, y in enumerate(b)] for i, x in enumerate(a)]
    na, nb = _neighbours(mine, a), _neighbours(ref, b)
    score = base
    structure = [[0.0] * len(b) for _ in a]
    for _ in range(ROUNDS):
        structure = [[_structure(na[i], nb[j], score) for j in range(len(b))] for i in range(len(a))]
        score = [[min(1.0, base[i][j] + STRUCTURE_WEIGHT * structure[i][j]) for j in range(len(b))]
                 for i in range(len(a))]
    matches = []
    for i, j in best_assignment(score):
        s, lab, st = score[i][j], label[i][j], structure[i][j]
        same_id = a[i].id == b[j].id
        if s < THRESHOLD or (not same_id and (_conflict(a[i].label, b[j].label)
                                               or (lab < MIN_LABEL and st < STRONG_STRUCTURE))):
            continue
        matches.append(Match(a[i].id, b[j].id, round(s, 4), round(lab, 4),
                             _why(a[i], b[j], lab, st, na[i], nb[j], score)))
    order = {n.id: k for k, n in enumerate(b)}
    return sorted(matches, key=lambda m: order[m.ref])


def _conflict(a: str, b: str) -> bool:
    """Both labels name a known concept, and not the same one ("Ranking service", "Nearest neighbor
    service"): however alike their places in the diagram, they are different components."""
    ca, cb = set(words(a)) & _CONCEPT_TOKENS, set(words(b)) & _CONCEPT_TOKENS
    return bool(ca and cb and not ca & cb)


def _base(x: Node, y: Node, label: float) -> float:
    return LABEL_WEIGHT * label + KIND_WEIGHT * kind_agreement(x.kind, y.kind) \
        + (SAME_ID_BONUS if x.id == y.id else 0.0)


def _neighbours(d: Diagram, nodes: list[Node]) -> list[tuple[list[int], list[int]]]:
    """Per node (by index): the indexes of the nodes its edges come from, and go to."""
    index = {n.id: k for k, n in enumerate(nodes)}
    out: list[tuple[list[int], list[int]]] = [([], []) for _ in nodes]
    for e in d.edges:
        if e.src in index and e.dst in index and e.src != e.dst:
            s, t = index[e.src], index[e.dst]
            if e.arrow == "->":
                out[s][1].append(t)
                out[t][0].append(s)
            else:  # both ways, or no arrowhead: a neighbour on either side
                for u, v in ((s, t), (t, s)):
                    out[u][0].append(v)
                    out[u][1].append(v)
    return out


def _structure(mine: tuple[list[int], list[int]], ref: tuple[list[int], list[int]],
               score: list[list[float]]) -> float:
    """0..1: how well the neighbours correspond (in to in, out to out), by the current scores."""
    total, count = 0.0, 0
    for side in (0, 1):
        xs, ys = mine[side], ref[side]
        if not xs and not ys:
            continue
        if xs and ys:
            forward = sum(max(score[x][y] for y in ys) for x in xs) / len(xs)
            backward = sum(max(score[x][y] for x in xs) for y in ys) / len(ys)
            total += min(1.0, (forward + backward) / 2)
        count += 1
    return total / count if count else 0.0


def _why(x: Node, y: Node, label: float, structure: float, mine, ref, score) -> tuple[str, ...]:
    why = []
    if x.id == y.id:
        why.append("same id")
    if x.label.lower() == y.label.lower():
        why.append("same label")
    elif label >= 0.999:
        why.append("synonym")
    elif label > 0:
        synonym = set(words(x.label)) & set(words(y.label)) & _CONCEPT_TOKENS
        why.append(f"similar label ({int(100 * label)}%" + (", synonym)" if synonym else ")"))
    why.append("same kind" if x.kind == y.kind else f"{x.kind} ~ {y.kind}")
    theirs = set(ref[0]) | set(ref[1])
    if theirs and structure >= 0.5:
        mine_all = set(mine[0]) | set(mine[1])
        shared = sum(1 for t in theirs if any(score[m][t] >= THRESHOLD for m in mine_all))
        why.append(f"same neighbours ({shared} of {len(theirs)})")
    return tuple(why)


def diagram_affinity(mine: Diagram, ref: Diagram) -> float:
    """0..1: how well two diagrams correspond as a whole (for pairing a learner's diagram with the one it
    answers): the matched share of both, with a little weight on the titles."""
    matches = match_nodes(mine, ref)
    a = sum(1 for n in mine.nodes.values() if n.kind != "note")
    b = sum(1 for n in ref.nodes.values() if n.kind != "note")
    if not a or not b:
        return 0.0
    return 0.9 * 2 * sum(m.score for m in matches) / (a + b) + 0.1 * similarity(mine.title, ref.title)
