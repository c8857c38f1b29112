"""Rules about the framework metadata: the seven steps an interview walks through."""

from __future__ import annotations

from collections.abc import Iterator

from ..spec.model import Spec
from .registry import Finding, rule
from .roles import node_role


@rule("no-monitoring", "ch. 1")
def no_monitoring(spec: Spec) -> Iterator[Finding]:
    """Nothing says how the system is monitored once it is live."""
    if spec.framework.get("monitoring"):
        return
    if any(node_role(n) == "monitoring" for d in spec.diagrams.values() for n in d.nodes.values()):
        return
    yield Finding(spec.pos, "the design never says how it is monitored; add framework.monitoring bullets "
                  "(operational metrics such as latency and throughput, ML metrics such as prediction drift "
                  "and accuracy, alerts, when to retrain)")
