"""Runs every benchmark script in bench/ for each of its implementations and compares them with ours.

A benchmark script is any ``bench/*.py`` whose name does not start with ``_`` (and is not this file):
- ``python bench/X.py --list-impls`` prints a JSON list of implementation names;
- ``python bench/X.py --impl NAME [--quick]`` prints JSON object lines, each with ``name`` (the case),
  ``impl`` and numeric metrics, or an ``error`` field for a case that could not be measured.

The implementation ``tomodachi029`` runs under ``bench/.venv-tomodachi029`` (tomodachi 0.29 from PyPI);
every other one (``ours`` and the raw baselines) runs under ``bench/.venv-ours``, a clean venv holding only
this repository's packages, installed from packages/ as wheels, and protobuf. Both are created here on
first use; the clean one is re-created when a package's pyproject.toml changes, and our packages in it are
re-installed when their sources change. A script that needs the development venv (for a dev-only package)
says so with a top-level ``NEEDS_DEV_VENV = True``. Results are printed as one table per case, with the
ratio of ours to every other implementation, and written to ``build/bench/results.json``. The exit status
is non-zero when a script crashed.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
import venv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = ROOT / "build" / "bench" / "results.json"
DEV_PYTHON = ROOT / ".venv" / "bin" / "python"
OURS = "ours"
TOMODACHI029 = "tomodachi029"
VENV029 = BENCH / ".venv-tomodachi029"
REQUIREMENTS029 = ["tomodachi==0.29.0", "protobuf"]
MARKER029 = VENV029 / "bench-installed.json"
VENV_OURS = BENCH / ".venv-ours"
MARKER_OURS = VENV_OURS / "bench-installed.json"
# Installed as users get them: built into wheels, not editable. The framework without extras (no uvloop),
# as tomodachi==0.29.0 is installed without extras; protobuf is what the benchmark scripts need.
PACKAGES_OURS = [
    "packages/envelope",
    "packages/middleware",
    "packages/transport-http",
    "packages/transport-awssnssqs",
    "packages/transport-amqp",
    "packages/scheduler",
    "packages/framework",
]
REQUIREMENTS_OURS = ["protobuf"]
TIMEOUT = 1800.0

# Which way is better, by metric-name suffix. Numeric fields with another name are shown without a ratio.
HIGHER_IS_BETTER = ("_per_sec",)
LOWER_IS_BETTER = ("_ns", "_us", "_ms", "_mb")


class SetupError(Exception):
    """An implementation's interpreter could not be prepared."""


@dataclass
class ScriptReport:
    script: str
    impls: list[str] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)


def direction(metric: str) -> str | None:
    if metric.endswith(HIGHER_IS_BETTER):
        return "higher"
    if metric.endswith(LOWER_IS_BETTER):
        return "lower"
    return None


def dev_python() -> Path:
    return DEV_PYTHON if DEV_PYTHON.exists() else Path(sys.executable)


def ensure_tomodachi029() -> Path:
    """Creates bench/.venv-tomodachi029 unless its marker says it already holds REQUIREMENTS029."""
    python = VENV029 / "bin" / "python"
    if python.exists() and MARKER029.exists():
        try:
            marker = json.loads(MARKER029.read_text())
        except ValueError:
            marker = {}
        if marker.get("requirements") == REQUIREMENTS029:
            return python
    print(f"creating {VENV029.relative_to(ROOT)} with {' '.join(REQUIREMENTS029)}", file=sys.stderr)
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV029)
        pip = [str(python), "-m", "pip", "--disable-pip-version-check", "--quiet"]
        subprocess.run([*pip, "install", *REQUIREMENTS029], check=True)
        frozen = subprocess.run([*pip, "freeze"], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SetupError(f"could not create {VENV029}: {exc}") from exc
    marker = {
        "requirements": REQUIREMENTS029,
        "installed": frozen.split(),
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    MARKER029.write_text(json.dumps(marker, indent=2) + "\n")
    return python


def digest(paths: list[Path]) -> str:
    """A hash of the paths (relative to the repository) and contents of the files."""
    sha = hashlib.sha256()
    for path in sorted(paths):
        sha.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def pyproject_digest() -> str:
    return digest([ROOT / package / "pyproject.toml" for package in PACKAGES_OURS])


def source_digest() -> str:
    files: list[Path] = []
    for package in PACKAGES_OURS:
        for path in (ROOT / package).rglob("*"):
            relative = path.relative_to(ROOT / package)
            if (
                path.is_file()
                and relative.parts[0] in ("src", "README.md", "pyproject.toml")
                and "__pycache__" not in relative.parts
            ):
                files.append(path)
    return digest(files)


def ensure_ours() -> Path:
    """Creates bench/.venv-ours, or brings it up to date, and returns its interpreter.

    The venv is created anew when the requirements or a package's pyproject.toml changed; when only
    sources changed, our packages are re-installed into it without touching their dependencies.
    """
    python = VENV_OURS / "bin" / "python"
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "--quiet"]
    packages = [f"./{package}" for package in PACKAGES_OURS]
    wanted = {"requirements": [*PACKAGES_OURS, *REQUIREMENTS_OURS], "pyproject_sha256": pyproject_digest()}
    sources = source_digest()
    marker: dict[str, Any] = {}
    if python.exists() and MARKER_OURS.exists():
        try:
            marker = json.loads(MARKER_OURS.read_text())
        except ValueError:
            marker = {}
    fresh = all(marker.get(key) == value for key, value in wanted.items())
    if fresh and marker.get("source_sha256") == sources:
        return python
    try:
        if fresh:
            print(f"re-installing our packages into {VENV_OURS.relative_to(ROOT)}", file=sys.stderr)
            command = ["install", "--no-deps", "--force-reinstall", *packages]
            subprocess.run([*pip, *command], cwd=ROOT, check=True)
        else:
            print(f"creating {VENV_OURS.relative_to(ROOT)} with our packages", file=sys.stderr)
            venv.EnvBuilder(with_pip=True, clear=True).create(VENV_OURS)
            subprocess.run([*pip, "install", *packages, *REQUIREMENTS_OURS], cwd=ROOT, check=True)
        frozen = subprocess.run([*pip, "freeze"], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        MARKER_OURS.unlink(missing_ok=True)
        raise SetupError(f"could not prepare {VENV_OURS}: {exc}") from exc
    marker = {
        **wanted,
        "source_sha256": sources,
        "installed": frozen.splitlines(),
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    MARKER_OURS.write_text(json.dumps(marker, indent=2) + "\n")
    return python


def needs_dev_venv(script: Path) -> bool:
    """Whether the script declares ``NEEDS_DEV_VENV = True`` at its top level."""
    for node in ast.parse(script.read_text(), str(script)).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "NEEDS_DEV_VENV" for target in node.targets
        ):
            return isinstance(node.value, ast.Constant) and node.value.value is True
    return False


def python_for(impl: str, script: Path) -> Path:
    if impl == TOMODACHI029:
        return ensure_tomodachi029()
    if needs_dev_venv(script):
        return dev_python()
    return ensure_ours()


def discover(only: str | None) -> list[Path]:
    scripts = [
        path for path in sorted(BENCH.glob("*.py")) if not path.name.startswith("_") and path.name != "run.py"
    ]
    if only is not None:
        wanted = only.removesuffix(".py")
        scripts = [path for path in scripts if path.stem == wanted]
    return scripts


def run_script(script: Path, quick: bool) -> ScriptReport:
    report = ScriptReport(script.stem)
    listing = subprocess.run(
        [str(dev_python()), str(script), "--list-impls"], cwd=ROOT, capture_output=True, text=True
    )
    try:
        report.impls = [str(name) for name in json.loads(listing.stdout)]
    except ValueError:
        report.failures.append(
            {"impl": None, "returncode": listing.returncode, "stderr": listing.stderr[-4000:]}
        )
        return report
    # Ours first, so that its numbers head every table.
    report.impls.sort(key=lambda name: name != OURS)
    for impl in report.impls:
        print(f"{script.stem}: {impl} ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        failure = run_impl(script, impl, quick, report.results)
        if failure is not None:
            report.failures.append({"impl": impl, **failure})
            print(f"{script.stem}: {impl} FAILED: {failure}", file=sys.stderr, flush=True)
        else:
            print(f"{script.stem}: {impl} done in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return report


def run_impl(script: Path, impl: str, quick: bool, results: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Runs one implementation of a script, appends its lines to results, and returns a failure or None."""
    try:
        python = python_for(impl, script)
    except SetupError as exc:
        return {"returncode": None, "stderr": str(exc)}
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    command = [str(python), str(script), "--impl", impl, *(["--quick"] if quick else [])]
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"returncode": None, "stderr": f"timed out after {TIMEOUT:.0f} s"}
    for line in done.stdout.splitlines():
        try:
            result = json.loads(line)
        except ValueError:
            result = None
        if isinstance(result, dict) and "name" in result:
            results.append({"script": script.stem, **result, "impl": impl})
        elif line.strip():
            print(f"{script.stem} [{impl}] {line}", file=sys.stderr)
    if done.returncode != 0:
        return {"returncode": done.returncode, "stderr": done.stderr[-4000:]}
    if done.stderr.strip():
        print(done.stderr.rstrip(), file=sys.stderr)
    return None


def metrics_of(result: dict[str, Any]) -> dict[str, float]:
    return {
        key: value
        for key, value in result.items()
        if isinstance(value, int | float) and not isinstance(value, bool) and key not in ("name", "impl")
    }


def compare(report: ScriptReport) -> list[dict[str, Any]]:
    """The ratio ours/other for every case, metric with a known direction, and other implementation."""
    comparisons: list[dict[str, Any]] = []
    by_case: dict[str, dict[str, dict[str, Any]]] = {}
    for result in report.results:
        by_case.setdefault(result["name"], {})[result["impl"]] = result
    for case, impls in by_case.items():
        ours = impls.get(OURS)
        if ours is None or "error" in ours:
            continue
        for other_name, other in impls.items():
            if other_name == OURS or "error" in other:
                continue
            for metric, value in metrics_of(ours).items():
                better = direction(metric)
                other_value = metrics_of(other).get(metric)
                if better is None or not other_value:
                    continue
                ratio = value / other_value
                ours_better = ratio > 1 if better == "higher" else ratio < 1
                comparisons.append(
                    {
                        "name": case,
                        "metric": metric,
                        "other": other_name,
                        "ratio": round(ratio, 3),
                        "better": better,
                        "verdict": "ours better" if ours_better else "ours worse" if ratio != 1 else "equal",
                    }
                )
    return comparisons


def label(metric: str) -> str:
    better = direction(metric)
    return metric if better is None else f"{metric} ({better})"


def number(value: float) -> str:
    if isinstance(value, int) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def print_tables(report: ScriptReport, comparisons: list[dict[str, Any]]) -> None:
    print(f"\n=== {report.script} ===")
    cases: dict[str, list[dict[str, Any]]] = {}
    for result in report.results:
        cases.setdefault(result["name"], []).append(result)
    for case, results in cases.items():
        print(f"\n-- {case}")
        columns: list[str] = []
        for result in results:
            columns += [metric for metric in metrics_of(result) if metric not in columns]
        columns.sort(key=lambda metric: direction(metric) is None)
        width = max([len(result["impl"]) for result in results] + [4])
        cells = {
            result["impl"]: {metric: number(value) for metric, value in metrics_of(result).items()}
            for result in results
        }
        widths = {
            metric: max([len(label(metric))] + [len(row.get(metric, "-")) for row in cells.values()])
            for metric in columns
        }
        print(f"  {'impl':<{width}}" + "".join(f"  {label(metric):>{widths[metric]}}" for metric in columns))
        for result in results:
            if "error" in result:
                print(f"  {result['impl']:<{width}}  error: {result['error']}")
                continue
            row = cells[result["impl"]]
            print(
                f"  {result['impl']:<{width}}"
                + "".join(f"  {row.get(metric, '-'):>{widths[metric]}}" for metric in columns)
            )
        for comparison in comparisons:
            if comparison["name"] == case:
                print(
                    f"  ours/{comparison['other']} {comparison['metric']}: {comparison['ratio']:.2f}x"
                    f" ({comparison['better']} is better: {comparison['verdict']})"
                )
    for failure in report.failures:
        print(f"\n  CRASHED: impl {failure['impl']}, exit status {failure['returncode']}")
        for line in str(failure["stderr"]).rstrip().splitlines()[-15:]:
            print(f"    {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the benchmarks in bench/ and compare them with ours.")
    parser.add_argument("--only", metavar="NAME", help="run only bench/NAME.py")
    parser.add_argument("--quick", action="store_true", help="fewer iterations, passed on to every script")
    args = parser.parse_args()

    scripts = discover(args.only)
    if not scripts:
        print(f"no benchmark script named {args.only!r} in {BENCH}", file=sys.stderr)
        return 2
    reports = [run_script(script, args.quick) for script in scripts]

    summary: dict[str, Any] = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
        "tomodachi029_venv": json.loads(MARKER029.read_text()) if MARKER029.exists() else None,
        "ours_venv": json.loads(MARKER_OURS.read_text()) if MARKER_OURS.exists() else None,
        "scripts": {},
    }
    for report in reports:
        comparisons = compare(report)
        print_tables(report, comparisons)
        summary["scripts"][report.script] = {
            "impls": report.impls,
            "results": report.results,
            "comparisons": comparisons,
            "failures": report.failures,
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nresults written to {RESULTS.relative_to(ROOT)}")
    crashed = [report.script for report in reports if report.failures]
    if crashed:
        print(f"crashed: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
