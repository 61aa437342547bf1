"""What a service logged while it ran in a test: each record with its structured fields."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tomodachi._logging.event import record_event


@dataclass(frozen=True)
class LogLine:
    """One log record, as the ``json`` format would write it.

    Attributes:
        logger: The logger name (``tomodachi.lifecycle``, ``tomodachi.amqp.handler``, ...).
        level: ``debug``, ``info``, ``warning``, ``error`` or ``critical``.
        message: The message (the event of a ``tomodachi.get_logger()`` call).
        fields: The structured fields: bound ones, keyword ones and ``extra=`` ones.
        record: The stdlib record itself (``exc_info`` holds the exception of ``logger.exception``).
    """

    logger: str
    level: str
    message: str
    fields: dict[str, Any]
    record: logging.LogRecord

    @property
    def exception(self) -> BaseException | None:
        """The exception logged with the line, if any."""
        exc_info = self.record.exc_info
        return exc_info[1] if exc_info else None

    def matches(self, message: str | None = None, *, logger: str | None = None, **fields: Any) -> bool:
        """Whether the line has this message (a substring of it), logger (or a child of it) and fields.

        Args:
            message: Part of the message; ``None`` for any.
            logger: The logger name or the name of a parent logger; ``None`` for any.
            **fields: Fields the line must have, with these values.

        Returns:
            True when every condition given holds.
        """
        if message is not None and message not in self.message:
            return False
        if logger is not None and self.logger != logger and not self.logger.startswith(f"{logger}."):
            return False
        return all(key in self.fields and self.fields[key] == value for key, value in fields.items())


class Logs:
    """The lines logged while a service ran, in order; a ``logging.Handler`` collects them.

    Iterate it, index it, or ask for lines with :meth:`find`, :meth:`first` and :meth:`messages`.
    """

    def __init__(self) -> None:
        self.lines: list[LogLine] = []

    def __iter__(self) -> Iterator[LogLine]:
        return iter(list(self.lines))

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, index: int) -> LogLine:
        return self.lines[index]

    def find(self, message: str | None = None, *, logger: str | None = None, **fields: Any) -> list[LogLine]:
        """The lines that match, in order (see :meth:`LogLine.matches`).

        Args:
            message: Part of the message; ``None`` for any.
            logger: The logger name or a parent's; ``None`` for any.
            **fields: Fields with these values (``level="error"`` checks the level).

        Returns:
            The matching lines; empty when none does.
        """
        level = fields.pop("level", None)
        return [
            line
            for line in self.lines
            if line.matches(message, logger=logger, **fields) and (level is None or line.level == level)
        ]

    def first(self, message: str | None = None, *, logger: str | None = None, **fields: Any) -> LogLine:
        """The first line that matches, as :meth:`find` does.

        Raises:
            LookupError: no line matches; the message lists what was logged.
        """
        found = self.find(message, logger=logger, **fields)
        if not found:
            logged = "\n".join(f"  [{line.level}] {line.logger}: {line.message}" for line in self.lines)
            wanted = {"message": message, "logger": logger, **fields}
            raise LookupError(f"no log line matches {wanted}; logged:\n{logged}")
        return found[0]

    def messages(self, *, logger: str | None = None) -> list[str]:
        """The messages of the lines (of one logger tree, when ``logger`` is given), in order."""
        return [line.message for line in self.lines if line.matches(logger=logger)]

    def clear(self) -> None:
        """Forgets the lines logged so far."""
        self.lines.clear()


class LogCollector(logging.Handler):
    """Adds every record that reaches the root logger to ``logs``."""

    def __init__(self, logs: Logs, level: int) -> None:
        super().__init__(level)
        self.logs = logs

    def emit(self, record: logging.LogRecord) -> None:
        try:
            event = record_event(record)
        except Exception:  # a record that cannot be read must not break the service
            event = {"logger": record.name, "level": record.levelname.lower(), "message": str(record.msg)}
        fields = {key: value for key, value in event.items() if key not in ("timestamp", "logger", "level")}
        fields.pop("message", None)
        self.logs.lines.append(
            LogLine(
                logger=str(event.get("logger", record.name)),
                level=str(event.get("level", record.levelname.lower())),
                message=str(event.get("message", "")),
                fields=fields,
                record=record,
            )
        )
