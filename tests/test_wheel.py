"""The installable package: the wheel, installed into a fresh virtualenv outside the source
tree, holds a short check-in with `checkin chat` fed from standard input, and
`python -m skill chat` resumes it.

The wheel is built by pip from a copy of the tree (nothing is written into the tree), offline:
without build isolation, with the dev extra's setuptools. The fresh virtualenv gets our code
from the wheel alone (--no-index --no-deps). Its third-party dependencies are the development
virtualenv's, made visible through a .pth file that points at a folder of links to them,
which leaves out our own package and its editable install; `pip check` then proves that the
wheel's declared dependencies are met by what is installed. So the test needs no network and
takes seconds, and any file the installed `checkin` needs but the wheel lacks fails it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv",
    "node_modules",
    "build",
    ".aws-sam",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "*.db",
)
OURS = ("our_checkin", "__editable__", "skill")


@dataclass(frozen=True)
class Installed:
    """A virtualenv outside the tree with the wheel installed."""

    wheel: Path
    venv: Path
    home: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def run(self, *command: str, lines: Sequence[str] = (), db: str = "c.db") -> str:
        """Run a command of the virtualenv in a folder outside the tree; its output."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        env["CHECKIN_DB"] = str(self.home / db)
        result = subprocess.run(
            command,
            input="\n".join(lines) + "\n",
            cwd=self.home,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        return result.stdout


def pip(*args: str | Path) -> str:
    """The development virtualenv's pip (it can install into another one with --python)."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def dependencies_view(folder: Path) -> Path:
    """Links to everything installed in the development virtualenv except our own package."""
    folder.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(OURS) and entry.suffix != ".pth":
            (folder / entry.name).symlink_to(entry)
    return folder


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("wheel")
    assert not tmp.is_relative_to(ROOT)
    source = tmp / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=NOT_SOURCES)
    pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", tmp / "dist", source)
    (wheel,) = (tmp / "dist").glob("our_checkin-*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "dependencies.pth").write_text(f"{dependencies_view(tmp / 'deps')}\n")
    pip("--python", python, "install", "--no-index", "--no-deps", wheel)
    pip("--python", python, "check")
    home = tmp / "home"
    home.mkdir()
    return Installed(wheel, venv, home)


def test_the_wheel_holds_the_package_data(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    assert "skill/interaction_models/en-US.json" in names
    assert "skill/apl/checkin.json" in names  # the APL document an Echo Show is sent
    assert {f"skill/content/{n}.toml" for n in ("exercises", "questions", "phrases")} <= names
    assert "skill/__main__.py" in names
    assert not any(name.startswith(("tests/", "bench/", "lambda/")) for name in names)


def test_the_installed_package_is_the_wheel_not_the_tree(installed: Installed) -> None:
    where = installed.run(
        str(installed.bin / "python"),
        "-c",
        "import skill, sys; print(skill.__file__); print(sys.path)",
    )
    assert str(installed.venv) in where.splitlines()[0]
    assert str(ROOT) not in where


def test_the_installed_checkin_holds_a_check_in_and_python_m_skill_resumes_it(
    installed: Installed,
) -> None:
    out = installed.run(
        str(installed.bin / "checkin"),
        "chat",
        lines=["Alexa, start our check-in", "we are Sam and Alex", "yes", "yes", "next", "stop"],
    )
    answers = [line for line in out.splitlines() if "Alexa: " in line]
    assert "first names" in answers[0]
    assert "Sam" in answers[1] and "Alex" in answers[1]  # the names, read back to confirm
    assert "[pause" in out  # the mindful pause, its silences shown
    assert "turn: Sam" in out  # the gratitude round, Sam first
    assert "resume our check-in" in answers[-1] and "session has ended" in out

    out = installed.run(
        str(installed.bin / "python"), "-m", "skill", "chat", lines=["Alexa, resume our check-in"]
    )
    assert "gratitude round, Sam's turn" in out


def test_the_installed_checkin_validates_the_shipped_content(installed: Installed) -> None:
    out = installed.run(str(installed.bin / "checkin"), "lint-content")
    assert out.startswith("content OK")
