"""Builds every package's wheel, then proves each library works on its own.

For each package: a fresh venv receives that one wheel (with its extras), the wheels of the siblings it
declares as dependencies, and its test group; its own tests then run there, from outside the repository,
so they import the installed wheel and nothing else. A last venv holds only the envelope wheel, with no
extras, and runs a plain synchronous script against it. Another holds only the SNS+SQS library and its
dependencies, and runs a plain publishing script against a moto server run from this interpreter.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "packages"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "isolation"
PIP = [sys.executable, "-m", "pip"]


def run(*cmd: str | Path, cwd: Path | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=cwd)


def build_wheels() -> dict[str, Path]:
    shutil.rmtree(DIST, ignore_errors=True)
    for package in sorted(PACKAGES.iterdir()):
        run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", DIST, package)
    wheels: dict[str, Path] = {}
    for wheel in DIST.glob("*.whl"):
        dist_name = wheel.name.split("-")[0].replace("_", "-")
        wheels[dist_name] = wheel
    return wheels


def fresh_venv(name: str) -> Path:
    path = WORK / name
    shutil.rmtree(path, ignore_errors=True)
    venv.create(path, with_pip=False)
    return path / "bin" / "python"


def sibling_names(requirements: list[str]) -> list[str]:
    names = (re.split(r"[\s\[<>=!~;]", req, maxsplit=1)[0] for req in requirements)
    return [name for name in names if name.startswith("tomodachi")]


def check_package(folder: Path, wheels: dict[str, Path]) -> None:
    project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
    dist_name = project["name"]
    import_name = dist_name.replace("-", "_")
    extras = ",".join(project.get("optional-dependencies", {}))
    wheel = f"{wheels[dist_name]}[{extras}]" if extras else str(wheels[dist_name])
    siblings = [str(wheels[name]) for name in sibling_names(project.get("dependencies", []))]

    python = fresh_venv(folder.name)
    run(
        *PIP,
        "--python",
        python,
        "install",
        "--quiet",
        "--find-links",
        DIST,
        wheel,
        *siblings,
        "--group",
        f"{folder / 'pyproject.toml'}:test",
    )
    location = subprocess.run(
        [str(python), "-c", f"import {import_name}; print({import_name}.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=WORK,
    ).stdout.strip()
    if not location.startswith(str(python.parent.parent)):
        raise SystemExit(f"{import_name} was imported from {location}, not from the isolated venv")
    run(
        python,
        "-m",
        "pytest",
        "-c",
        ROOT / "pyproject.toml",
        "--rootdir",
        ROOT,
        "-p",
        "no:cacheprovider",
        folder / "tests",
        cwd=WORK,
    )


def check_bare_envelope(wheels: dict[str, Path]) -> None:
    python = fresh_venv("envelope-bare")
    run(*PIP, "--python", python, "install", "--quiet", "--no-deps", wheels["tomodachi-envelope"])
    run(python, ROOT / "scripts" / "bare_envelope_check.py", cwd=WORK)


def check_awssnssqs_script(wheels: dict[str, Path]) -> None:
    from tomodachi_transport_awssnssqs.testing import moto_server

    python = fresh_venv("awssnssqs-script")
    run(
        *PIP,
        "--python",
        python,
        "install",
        "--quiet",
        "--find-links",
        DIST,
        wheels["tomodachi-transport-awssnssqs"],
    )
    with moto_server() as url:
        run(python, ROOT / "scripts" / "awssnssqs_publish_check.py", url, cwd=WORK)


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    wheels = build_wheels()
    for folder in sorted(PACKAGES.iterdir()):
        check_package(folder, wheels)
    check_bare_envelope(wheels)
    check_awssnssqs_script(wheels)
    print("isolation: every library passed its own tests from its wheel alone")


if __name__ == "__main__":
    main()
