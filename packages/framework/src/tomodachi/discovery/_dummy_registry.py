"""``DummyRegistry``: a discovery registry that only keeps what it is given."""

from __future__ import annotations

from typing import Any, ClassVar

from tomodachi.logging import get_logger


class DummyRegistry:
    """An example registry for ``discovery = [DummyRegistry]``: it records HTTP endpoints and logs.

    A real registry would announce the service (and its endpoints) somewhere on register and withdraw
    it on deregister.
    """

    name: ClassVar[str] = "tomodachi.discovery.example"
    http_endpoints: ClassVar[dict[Any, list[tuple[str, int, str, str]]]] = {}

    @classmethod
    async def add_http_endpoint(cls, service: Any, host: str, port: int, method: str, pattern: str) -> None:
        """Records an HTTP route of ``service``."""
        cls.http_endpoints.setdefault(service, []).append((host, port, method, pattern))

    @classmethod
    async def _register_service(cls, service: Any) -> None:
        get_logger().info("registering service endpoints")

    @classmethod
    async def _deregister_service(cls, service: Any) -> None:
        get_logger().info("deregistering service")
        cls.http_endpoints.pop(service, None)
