"""Rules about how the model is trained: a training pipeline somewhere, a loss, and the loop that
continual learning needs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..core.errors import Pos
from ..spec.model import Group, Node, Spec
from .registry import Finding, rule
from .roles import SOURCES, is_architecture, is_system, reaches, roles, text_words, with_role

_TRAINING = ("training", "training-data")


def _trains_somewhere(spec: Spec) -> bool:
    if "training" in text_words(spec.framework.get("data", []), spec.framework.get("model", [])):
        return True
    for d in spec.diagrams.values():
        if (d.step == "model" and "training" in text_words(d.title)) or any(n.kind == "loss"
                                                                             for n in d.nodes.values()):
            return True
        if with_role(d, roles(d), *_TRAINING):
            return True
        if any("training" in text_words(g.label) for g in d.groups.values()):
            return True
    return False


@rule("model-without-training", "ch. 1")
def model_without_training(spec: Spec) -> Iterator[Finding]:
    """A model in serving with no training pipeline or training data anywhere in the spec."""
    if _trains_somewhere(spec):
        return
    for d in spec.diagrams.values():
        model = next((n for n in d.nodes.values() if n.kind == "model"), None)
        if is_system(d) and model is not None:
            yield Finding(model.pos, f"model {model.id!r} is served but no diagram shows how it is trained; draw "
                          "the training pipeline (training data -> training -> model) or a training diagram", d.id)


_CLAIM = re.compile(r"\bcontinu\w*[\w ,-]{0,40}?\b(learn|train|fine[- ]?tun)\w*"
                    r"|\b(learn|train|fine[- ]?tun)\w*[\w ,-]{0,25}?\bcontinu\w*|\bonline learning\b", re.I)


def _claim(spec: Spec) -> tuple[Pos, str] | None:
    """Where continual learning is claimed: a label of a node or group, else the framework text."""
    for d in spec.diagrams.values():
        labelled: list[Group | Node] = [*d.groups.values(), *d.nodes.values()]
        for thing in labelled:
            if _CLAIM.search(thing.label):
                return thing.pos, f"{thing.label!r}"
    for step, text in spec.framework.items():
        for line in text.values() if isinstance(text, dict) else text if isinstance(text, list) else [text]:
            if isinstance(line, str) and (m := _CLAIM.search(line)):
                return spec.pos, f"framework.{step} ({m.group(0)!r})"
    return None


@rule("continual-learning-without-loop", "ch. 8")
def continual_learning_without_loop(spec: Spec) -> Iterator[Finding]:
    """Continual learning claimed, but no path from new data or interactions back to training."""
    claim = _claim(spec)
    if claim is None:
        return
    for d in spec.diagrams.values():
        found = roles(d)
        training = with_role(d, found, *_TRAINING)
        sources = [nid for nid, n in d.nodes.items() if n.kind in SOURCES and found.get(nid) not in _TRAINING]
        if training and reaches(d, sources, training):
            return
    pos, where = claim
    yield Finding(pos, f"{where} claims continual learning, but no diagram has a path from new data or "
                  "interactions to training; draw the loop (new interactions -> training data -> fine-tune -> "
                  "model)")


@rule("model-without-loss", "ch. 1")
def model_without_loss(spec: Spec) -> Iterator[Finding]:
    """A model architecture is drawn but nothing in the spec names its loss."""
    architectures = [d for d in spec.diagrams.values() if is_architecture(d)]
    if not architectures:
        return
    if any(n.kind == "loss" or "loss" in text_words(n.label) for d in spec.diagrams.values()
           for n in d.nodes.values()) or "loss" in text_words(spec.framework.get("model", [])):
        return
    d = architectures[0]
    yield Finding(d.pos, f"model diagram {d.id!r} draws an architecture but the spec never says what it is "
                  "trained to minimise; add a loss node (kind: loss) or a framework.model bullet naming the loss",
                  d.id)
