"""Static folders: files served, and no way out of the folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tomodachi_transport_http import TRANSPORT, HttpConfigurationError, http, http_static
from tomodachi_transport_http.testing import TestOptions, http_specs
from tomodachi_transport_http.testing import serve_client as serving


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    public = tmp_path / "public"
    (public / "css").mkdir(parents=True)
    (public / "index.html").write_text("<h1>hi</h1>")
    (public / "css" / "site.css").write_text("body {}")
    (public / "big.bin").write_bytes(os.urandom(600 * 1024))
    (tmp_path / "secret.txt").write_text("secret")
    sibling = tmp_path / "public2"
    sibling.mkdir()
    (sibling / "other.txt").write_text("sibling")
    (public / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (public / "inside.txt").symlink_to(public / "index.html")
    (public / "unreadable.txt").write_text("x")
    (public / "unreadable.txt").chmod(0)
    return public


def static_service(folder: Path) -> Any:
    class Service:
        options = TestOptions()

        @http_static(str(folder), r"/static/")
        async def files(self) -> None: ...

        @http("GET", r"/other")
        async def other(self, request: web.Request) -> str:
            return "other"

    return Service()


async def test_files_are_served_with_their_content_type(tree: Path) -> None:
    async with serving(static_service(tree)) as served:
        async with served.session.get("/static/index.html") as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/html")
            assert "ETag" in response.headers
            assert response.headers["Server"] == "tomodachi"
            assert await response.text() == "<h1>hi</h1>"
        async with served.session.get("/static/css/site.css") as response:
            assert await response.text() == "body {}"
        async with served.session.head("/static/index.html") as response:
            assert response.status == 200
            assert await response.read() == b""
        async with served.session.get("/static/big.bin") as response:
            assert await response.read() == (tree / "big.bin").read_bytes()
        async with served.session.get("/static/inside.txt") as response:
            assert await response.text() == "<h1>hi</h1>"


@pytest.mark.parametrize(
    "path",
    [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E%2Fsecret.txt",
        "/static/css/../../secret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/../public2/other.txt",
        "/static/escape.txt",
        "/static/css",
        "/static/css/",
        "/static/.",
        "/static/missing.txt",
        "/static/%00",
    ],
)
async def test_nothing_outside_the_folder_can_be_reached(tree: Path, path: str) -> None:
    async with serving(static_service(tree)) as served:
        reply = await served.raw(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    status_line = reply.split(b"\r\n", 1)[0]
    assert status_line in (b"HTTP/1.1 404 Not Found", b"HTTP/1.0 400 Bad Request"), path
    assert b"secret" not in reply
    assert b"sibling" not in reply
    assert b"root:" not in reply


async def test_an_unreadable_file_is_403(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # root reads any file, so the permission check is made to fail for this one file
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: not str(path).endswith("unreadable.txt") and real_access(path, mode)
    )
    async with (
        serving(static_service(tree)) as served,
        served.session.get("/static/unreadable.txt") as response,
    ):
        assert response.status == 403


async def test_static_routes_answer_get_and_head_only(tree: Path) -> None:
    async with serving(static_service(tree)) as served, served.session.post("/static/index.html") as response:
        assert response.status == 405
        assert response.headers["Allow"] == "GET,HEAD"


async def test_a_relative_folder_is_read_from_the_service_file() -> None:
    class Service:
        options = TestOptions()

        @http_static("../tests", r"/files/")
        async def files(self) -> None: ...

    async with serving(Service()) as served, served.session.get("/files/test_static.py") as response:
        assert response.status == 200
        assert "nothing_outside_the_folder" in await response.text()


async def test_the_root_folder_is_refused_at_start() -> None:
    class Service:
        options = TestOptions()

        @http_static("/", r"/files/")
        async def files(self) -> None: ...

    runtime = TRANSPORT.create_runtime(Service(), http_specs(Service))
    with pytest.raises(HttpConfigurationError, match="root"):
        await runtime.start()
    await runtime.close()
