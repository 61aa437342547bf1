"""Development mode: restart the services when their code changes (``tomodachi run`` without --production).

Files are watched with watchfiles in a thread. A change to a watched file stops the services
gracefully, forgets the modules imported since start, and starts them again. A Python file that no
longer compiles is reported and the running services are left alone until it is fixed.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable
from typing import Any

from ._launcher import Launcher
from ._run import run_once
from .logging import get_logger

IGNORED_DIRS = frozenset(
    {"__pycache__", ".git", ".svn", "__ignored__", "__temporary__", "__tmp__", ".mypy_cache", ".pytest_cache"}
)
WATCHED_ENDINGS = (".py", ".pyi", ".json", ".yml", ".html", ".phtml")


class WatchSettings:
    """Which paths count as a code change: defaults plus the ``watcher`` options of the services."""

    def __init__(self, ignored_dirs: Iterable[str] = (), endings: Iterable[str] = ()) -> None:
        self.ignored_dirs = IGNORED_DIRS | set(ignored_dirs)
        self.endings = (*WATCHED_ENDINGS, *endings)

    def add(self, ignored_dirs: Iterable[str], endings: Iterable[str]) -> None:
        self.ignored_dirs |= set(ignored_dirs)
        self.endings = (*self.endings, *(ending for ending in endings if ending not in self.endings))

    def add_from_options(self, options: Any) -> None:
        """Adds a service's ``options.watcher`` settings."""
        watcher = getattr(options, "watcher", None)
        self.add(
            getattr(watcher, "ignored_dirs", None) or (), getattr(watcher, "watched_file_endings", None) or ()
        )

    def add_from_service(self, instance: Any) -> None:
        self.add_from_options(getattr(instance, "options", None))

    def add_from_config(self, configuration: dict[str, Any]) -> None:
        """Adds the ``options.watcher`` settings of the ``-c`` config files."""
        options = configuration.get("options") or {}
        section = options.get("watcher") or {}
        self.add(
            section.get("ignored_dirs") or options.get("watcher.ignored_dirs") or (),
            section.get("watched_file_endings") or options.get("watcher.watched_file_endings") or (),
        )

    def watches(self, path: str) -> bool:
        parts = path.split(os.sep)
        if any(part in self.ignored_dirs or part.startswith(".") for part in parts[:-1]):
            return False
        return path.endswith(self.endings)


def watch_roots(files: list[str]) -> list[str]:
    roots = {os.path.realpath(os.getcwd())}
    roots.update(os.path.dirname(os.path.realpath(file)) for file in files)
    roots.update(
        path for path in os.environ.get("PYTHONPATH", "").split(os.pathsep) if path and os.path.isdir(path)
    )
    # A root inside another root is watched through it already.
    return sorted(root for root in roots if not any(root.startswith(other + os.sep) for other in roots))


def _compile_errors(paths: Iterable[str]) -> list[str]:
    errors = []
    for path in paths:
        if not path.endswith(".py") or not os.path.isfile(path):
            continue
        try:
            with open(path, "rb") as file:
                compile(file.read(), path, "exec", dont_inherit=True)
        except SyntaxError as exc:
            kind = (
                "indentation error in file" if isinstance(exc, IndentationError) else "syntax error in file"
            )
            get_logger("tomodachi.watcher").warning(
                kind, error_location=f"{path}:{exc.lineno}", error=str(exc)
            )
            errors.append(path)
    return errors


class _ChangeWatcher(threading.Thread):
    def __init__(self, roots: list[str], settings: WatchSettings) -> None:
        super().__init__(name="tomodachi-watcher", daemon=True)
        self.roots = roots
        self.settings = settings
        self.changed = threading.Event()
        self.stop_event = threading.Event()

    def run(self) -> None:
        import watchfiles

        for changes in watchfiles.watch(
            *self.roots,
            watch_filter=lambda _change, path: self.settings.watches(path),
            stop_event=self.stop_event,
            debounce=300,
            raise_interrupt=False,
        ):
            paths = sorted({path for _change, path in changes})
            cwd = os.getcwd()
            shown = ["./" + os.path.relpath(path, cwd) if path.startswith(cwd) else path for path in paths]
            get_logger("tomodachi.watcher").warning("updated files", updated_files=shown)
            if _compile_errors(paths):
                get_logger("tomodachi.watcher").warning("restart failed due to error")
                continue
            get_logger("tomodachi.watcher").warning("restarting services")
            self.changed.set()
            launcher = Launcher.current
            if launcher is not None:
                launcher.request_stop()
            return


def _forget_modules(baseline: set[str]) -> None:
    """Drops the modules imported since start, so the next start imports the changed code."""
    for name in set(sys.modules) - baseline:
        if name.startswith(("tomodachi", "_", "encodings")):
            continue
        sys.modules.pop(name, None)


def run_with_reload(files: list[str], configuration: dict[str, Any], *, loop_setting: str) -> int:
    """Runs the services, restarting them on code changes, until they stop for another reason.

    Returns:
        The exit code of the last run.
    """
    baseline = set(sys.modules)
    roots = watch_roots(files)
    while True:
        settings = WatchSettings()
        settings.add_from_config(configuration)
        watcher = _ChangeWatcher(roots, settings)
        watcher.start()
        try:
            exit_code, exit_requested = run_once(
                files,
                configuration,
                loop_setting=loop_setting,
                watcher_enabled=True,
                on_services_created=settings.add_from_service,
            )
        finally:
            watcher.stop_event.set()
            watcher.join(timeout=5)
        if exit_requested or not watcher.changed.is_set():
            return exit_code
        _forget_modules(baseline)
