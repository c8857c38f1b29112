"""Spec text in Markdown: shown as written, never as markup."""

from __future__ import annotations

import html
import re

_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^([#>+=-]|\d+[.)])")


def md(text: str) -> str:
    """Escape ``text`` for Markdown (and the HTML Markdown allows): every character shows as written."""
    text = _MD_INLINE.sub(r"\\\1", html.escape(" ".join(str(text).split()), quote=False))
    return _MD_LINE_START.sub(r"\\\1", text)
