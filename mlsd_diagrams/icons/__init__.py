"""The project's own pictograms: ``<name>.svg`` sources and the ``<name>.png`` Graphviz draws
(``scripts/build_icons.py`` makes the PNGs)."""

from pathlib import Path

ICON_DIR = Path(__file__).resolve().parent
