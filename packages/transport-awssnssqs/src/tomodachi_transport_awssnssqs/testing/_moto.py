"""Helpers for testing code that uses SNS and SQS against a local moto server.

``moto_server()`` starts ``moto`` (``pip install 'moto[server]'``) on a free loopback port and gives
its URL; pass it as every endpoint URL (``aws_endpoint_urls.sns`` / ``.sqs``, or
``ClientSettings(endpoint_urls=...)``), with any credentials and a region::

    with moto_server() as url:
        settings = moto_settings(url)
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

from tomodachi_transport_awssnssqs._client import ClientSettings

DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def moto_server(python: str | None = None, port: int | None = None, timeout: float = 30.0) -> Iterator[str]:
    """Run a moto server for the duration of the ``with`` block.

    Args:
        python: The interpreter that has moto installed; default this one.
        port: The port; default a free one.
        timeout: How long to wait for the server to answer, in seconds.

    Yields:
        The server's URL, ``http://127.0.0.1:<port>``.

    Raises:
        RuntimeError: the server did not start (is ``moto[server]`` installed?).
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, **DUMMY_CREDENTIALS}
    process = subprocess.Popen(
        [python or sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError("the moto server exited; install it with: pip install 'moto[server]'")
            try:
                with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the moto server did not answer on {url}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def moto_settings(url: str) -> ClientSettings:
    """Return client settings that point every service at ``url`` with dummy credentials."""
    return ClientSettings(
        region_name=DUMMY_CREDENTIALS["AWS_DEFAULT_REGION"],
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        endpoint_urls={"sns": url, "sqs": url, "sts": url},
    )
