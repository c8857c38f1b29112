"""An audit of finished SVG files, written apart from the renderer's sanitiser so that it checks it.

Its lists are its own (from the SVG and HTML specifications, not copied from
``renderer.svg``): a sanitiser bug shared by both could not hide.
"""

import re
import xml.etree.ElementTree as ET

# Elements that run code, embed other documents or animate attributes (SVG 1.1 and 2, HTML in SVG).
RUNS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener", "animate", "set",
        "animateMotion", "animateTransform", "animateColor", "discard", "audio", "video", "canvas", "link",
        "meta", "base", "form", "input", "button"}
# A reference is safe when it points inside the file or carries its data with it.
LOCAL_OR_DATA = re.compile(r"^\s*(#|data:image/(png|jpeg|gif|svg\+xml);base64,)", re.IGNORECASE)
FETCHES = re.compile(r"url\(\s*['\"]?(?!#)|@import|javascript:|vbscript:|expression\(", re.IGNORECASE)


def active_content(svg: str) -> list[str]:
    """What in an SVG file could run or fetch something; [] when it is inert."""
    found = []
    if re.search(r"<!DOCTYPE|<!ENTITY|<\?xml-stylesheet", svg, re.IGNORECASE):
        found.append("DOCTYPE, entity or stylesheet declaration")
    for el in ET.fromstring(svg).iter():
        tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else "?"
        if tag in RUNS:
            found.append(f"<{tag}>")
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                found.append(f"{tag} {local} (event handler)")
            elif local in ("href", "src") and not LOCAL_OR_DATA.match(value) or FETCHES.search(value):
                found.append(f"{tag} {local}={value[:60]!r}")
        if tag == "style" and FETCHES.search("".join(el.itertext())):
            found.append("<style> that fetches")
    return found
