"""Regenerate the committed gallery: one PNG per case study (its system design) in output/gallery/.

    .venv/bin/python scripts/gallery.py

The manifest records, per image, the hash of the spec and of the theme it was
rendered from, and of the image itself; tests/test_gallery.py fails when a
spec changed and its image was not regenerated.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GALLERY = ROOT / "output" / "gallery"
MANIFEST = GALLERY / "manifest.json"
THEME = ROOT / "mlsd_diagrams" / "themes" / "book.yaml"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def gallery_diagram(spec) -> str:
    """The diagram shown for a case study: its system design, else its first diagram."""
    return "system" if "system" in spec.diagrams else next(iter(spec.diagrams))


def expected_entry(spec_id: str) -> dict:
    return {"spec_sha256": sha256(ROOT / "specs" / f"{spec_id}.yaml"), "theme_sha256": sha256(THEME)}


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from mlsd_diagrams import bundled_ids, load, render

    GALLERY.mkdir(parents=True, exist_ok=True)
    manifest = {}
    with tempfile.TemporaryDirectory() as tmp:
        for spec_id in bundled_ids():
            spec = load(spec_id)
            diagram = gallery_diagram(spec)
            render(spec, tmp, formats=["png"], diagrams=[diagram])
            image = GALLERY / f"{spec_id}.png"
            shutil.copyfile(Path(tmp) / spec_id / f"{diagram}.png", image)
            manifest[spec_id] = {**expected_entry(spec_id), "diagram": diagram, "png_sha256": sha256(image)}
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    print(f"gallery: {len(manifest)} images in {GALLERY.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
