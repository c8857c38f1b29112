"""A wheel built from the repository carries the specs, themes and icons, and works installed elsewhere."""

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    return next(out.glob("mlsd_diagrams-*.whl"))


def test_wheel_contains_specs_themes_and_icons(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    specs = {Path(n).stem for n in names if n.startswith("mlsd_diagrams/specs/") and n.endswith(".yaml")}
    assert specs == {p.stem for p in (ROOT / "specs").glob("*.yaml")}
    assert "mlsd_diagrams/themes/book.yaml" in names
    assert "mlsd_diagrams/icons/person.png" in names


def test_installed_wheel_lists_case_studies(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "--no-deps", "--quiet", wheel], check=True)
    # The dependencies come from this interpreter's site-packages through PYTHONPATH, which does not run
    # .pth files: the repository's editable install stays out and only the wheel provides mlsd_diagrams.
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    out = subprocess.run([bin_dir / "mlsd-diagrams", "list"], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] != ""
    assert any(line.startswith("visual_search ") for line in out.stdout.splitlines())
    where = subprocess.run([bin_dir / "python", "-c", "import mlsd_diagrams; print(mlsd_diagrams.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)
    assert str(env_dir) in where.stdout
