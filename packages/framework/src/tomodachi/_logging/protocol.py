"""``LoggerProtocol``: what a usable logger offers, met by ``Logger`` and by stdlib loggers alike."""

from __future__ import annotations

from typing import Any, Protocol


class LoggerProtocol(Protocol):
    """A logger with the six level methods; each takes the event and any further arguments."""

    def debug(self, *args: Any, **kwargs: Any) -> Any:
        """Log at level debug."""

    def info(self, *args: Any, **kwargs: Any) -> Any:
        """Log at level info."""

    def warning(self, *args: Any, **kwargs: Any) -> Any:
        """Log at level warning."""

    def error(self, *args: Any, **kwargs: Any) -> Any:
        """Log at level error."""

    def critical(self, *args: Any, **kwargs: Any) -> Any:
        """Log at level critical."""

    def exception(self, *args: Any, **kwargs: Any) -> Any:
        """Log at level error with the exception being handled."""
