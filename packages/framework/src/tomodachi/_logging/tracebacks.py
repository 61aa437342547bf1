"""The exception fields of an event: what was raised, and where.

``exception`` (``repr`` of the exception), ``exc_type``, ``exc_message``, then the innermost frame of
the traceback as ``tb_module_name``, ``tb_function_name`` and ``tb_location`` (``./path.py:LINE``,
relative to the working directory when the file lies under it), and ``stacktrace``: the frames,
outermost first, at most the 50 innermost, each as ``{module_name, function_name, location}``.
"""

from __future__ import annotations

import os
import traceback
from types import TracebackType
from typing import Any

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

MAX_FRAMES = 50


def real_exc_info(exc_info: Any) -> ExcInfo | None:
    """Return the record's ``exc_info`` when it holds an exception (``(None, None, None)`` does not)."""
    if isinstance(exc_info, tuple) and len(exc_info) == 3 and isinstance(exc_info[1], BaseException):
        return exc_info
    return None


def location(filename: str, lineno: int | None, cwd: str | None) -> str:
    """Return ``./relative/path.py:LINE`` for a file under ``cwd``, else ``/absolute/path.py:LINE``."""
    path = filename
    if cwd:
        prefix = cwd.rstrip(os.sep) + os.sep
        if filename.startswith(prefix):
            path = "./" + filename[len(prefix) :].replace(os.sep, "/")
    return f"{path}:{lineno if lineno is not None else 0}"


def exception_fields(exc_info: ExcInfo, *, full: bool) -> dict[str, Any]:
    """Return the exception fields of ``exc_info``.

    Args:
        exc_info: The ``(type, value, traceback)`` of a record.
        full: Also add ``exception`` and ``stacktrace`` (the JSON format does; the console prints
            the traceback instead).

    Returns:
        The fields, in the order above; the frame fields are left out when there is no traceback.
    """
    exc_type, exc, tb = exc_info
    fields: dict[str, Any] = {}
    if full:
        fields["exception"] = _safe(repr, exc)
    fields["exc_type"] = exc_type.__name__
    fields["exc_message"] = _safe(str, exc)
    frames = list(traceback.walk_tb(tb))
    if not frames:
        return fields
    cwd = _cwd()
    frame, lineno = frames[-1]
    fields["tb_module_name"] = str(frame.f_globals.get("__name__", ""))
    fields["tb_function_name"] = frame.f_code.co_name
    fields["tb_location"] = location(frame.f_code.co_filename, lineno, cwd)
    if full:
        fields["stacktrace"] = [
            {
                "module_name": str(frame.f_globals.get("__name__", "")),
                "function_name": frame.f_code.co_name,
                "location": location(frame.f_code.co_filename, lineno, cwd),
            }
            for frame, lineno in frames[-MAX_FRAMES:]
        ]
    return fields


def format_traceback(exc_info: ExcInfo) -> str:
    """Return the traceback text of ``exc_info`` without a trailing newline."""
    return "".join(traceback.format_exception(*exc_info)).rstrip("\n")


def _safe(render: Any, exc: BaseException) -> str:
    try:
        return str(render(exc))
    except Exception:
        return f"<unprintable {type(exc).__name__}>"


def _cwd() -> str | None:
    try:
        return os.getcwd()
    except OSError:
        return None
