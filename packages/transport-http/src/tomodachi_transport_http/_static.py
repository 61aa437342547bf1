"""Static files: GET and HEAD of the files under one folder, and nothing outside it."""

from __future__ import annotations

import os
import sys
from typing import Any

from aiohttp import web

from ._errors import HttpConfigurationError

CHUNK_SIZE = 256 * 1024


def static_folder(path: str, service: Any) -> str:
    """The real path of an ``http_static`` folder.

    Args:
        path: The folder as given; a relative one is read from the folder of the service's file.
        service: The service instance.

    Returns:
        The folder's real path (symlinks resolved).

    Raises:
        HttpConfigurationError: The path is empty or is the file system's root.
    """
    if not path or path == "/":
        raise HttpConfigurationError(f"http_static needs a folder other than the root, got {path!r}")
    if not os.path.isabs(path):
        module = sys.modules.get(type(service).__module__)
        service_file = getattr(module, "__file__", None)
        base = os.path.dirname(os.path.realpath(service_file)) if service_file else os.getcwd()
        path = os.path.join(base, path)
    folder = os.path.realpath(path)
    if folder == os.path.realpath("/"):
        raise HttpConfigurationError(f"http_static needs a folder other than the root, got {path!r}")
    return folder


def static_pattern(url: str) -> str:
    """The route pattern of an ``http_static`` base url: the file name follows the base."""
    if "?P<filename>" in url:
        return url
    base = url[:-1] if url.endswith("$") and not url.endswith("\\$") else url
    return f"{base}(?P<filename>.+?)"


class StaticFiles:
    """The endpoint of an ``http_static`` route.

    Args:
        folder: The real path of the folder served.
    """

    __slots__ = ("folder",)

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def resolve(self, filename: str) -> str | None:
        """The real path of the file named ``filename``, or ``None`` when it may not be served.

        It may not when it lies outside the folder (``..``, an absolute name, a symlink that
        leads out), is the folder itself or a folder, or does not exist.
        """
        if not filename or "\x00" in filename:
            return None
        candidate = os.path.realpath(os.path.join(self.folder, filename.lstrip("/")))
        if candidate == self.folder or os.path.commonpath((self.folder, candidate)) != self.folder:
            return None
        if not os.path.isfile(candidate):
            return None
        return candidate

    async def __call__(self, request: web.BaseRequest, groups: dict[str, str]) -> web.StreamResponse:
        path = self.resolve(groups.get("filename") or "")
        if path is None:
            raise web.HTTPNotFound()
        if not os.access(path, os.R_OK):
            raise web.HTTPForbidden()
        return web.FileResponse(path, chunk_size=CHUNK_SIZE)
