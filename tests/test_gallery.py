"""The committed gallery matches the specs it was rendered from."""

import importlib.util
import json
from pathlib import Path

import pytest

from mlsd_diagrams import bundled_ids

ROOT = Path(__file__).parent.parent
_spec = importlib.util.spec_from_file_location("gallery", ROOT / "scripts" / "gallery.py")
gallery = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gallery)

MANIFEST = json.loads(gallery.MANIFEST.read_text())
REGENERATE = "run `.venv/bin/python scripts/gallery.py` and commit output/gallery/"


@pytest.mark.parametrize("spec_id", bundled_ids())
def test_gallery_image_is_current(spec_id):
    assert spec_id in MANIFEST, f"{spec_id} has no gallery image; {REGENERATE}"
    entry = MANIFEST[spec_id]
    assert {k: entry[k] for k in ("spec_sha256", "theme_sha256")} == gallery.expected_entry(spec_id), \
        f"specs/{spec_id}.yaml or the book theme changed since the gallery was made; {REGENERATE}"
    assert gallery.sha256(gallery.GALLERY / f"{spec_id}.png") == entry["png_sha256"], \
        f"output/gallery/{spec_id}.png is not the image the manifest records; {REGENERATE}"


def test_no_stale_images():
    images = {p.stem for p in gallery.GALLERY.glob("*.png")}
    assert images == set(bundled_ids())


GALLERY_PAGE = ROOT / "docs" / "gallery.md"


def test_the_gallery_page_shows_every_image():
    page = GALLERY_PAGE.read_text()
    for spec_id in bundled_ids():
        assert f"../output/gallery/{spec_id}.png" in page


@pytest.mark.parametrize("spec_id", bundled_ids())
def test_the_gallery_page_counts_the_diagrams_right(spec_id):
    from mlsd_diagrams import load

    assert f"(`{spec_id}`, {len(load(spec_id).diagrams)} diagrams)" in GALLERY_PAGE.read_text()
