"""The ``watcher`` section of a service's options: what ``tomodachi run`` watches for code changes."""

from __future__ import annotations

from typing import Any

from tomodachi_middleware import OptionsSection


class WatcherOptions(OptionsSection, prefix="watcher"):
    """Settings of the code-change watcher of ``tomodachi run`` (development mode), the ``watcher.*`` keys.

    Args:
        ignored_dirs: Directory names not to watch, added to the ones always ignored
            (``__pycache__``, ``.git``, ``.svn``, ``__ignored__``, ``__temporary__``, ``__tmp__``).
        watched_file_endings: File endings to watch, added to the ones always watched
            (``.py``, ``.pyi``, ``.json``, ``.yml``, ``.html``, ``.phtml``).
        **options: Dotted keys.

    Raises:
        AttributeError: An unknown key was given.
    """

    __slots__ = ("ignored_dirs", "watched_file_endings")

    ignored_dirs: list[str]
    watched_file_endings: list[str]

    def __init__(
        self,
        *,
        ignored_dirs: list[str] | None = None,
        watched_file_endings: list[str] | None = None,
        **options: Any,
    ) -> None:
        self.ignored_dirs = [] if ignored_dirs is None else ignored_dirs
        self.watched_file_endings = [] if watched_file_endings is None else watched_file_endings
        if options:
            self.update(options)
