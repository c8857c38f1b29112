"""Suggestions for misspelt names: "did you mean 'kind'?"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: object, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word``, or None when none is close enough to be what was meant."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the closest choice, or an empty string when none is close."""
    meant = closest(word, choices)
    return f"; did you mean {meant!r}?" if meant else ""
