"""The implementation behind ``tomodachi.logging``, one concept per module.

- ``names``: the logger names the framework and its libraries write under.
- ``levels``: level names in and out (``"info"`` <-> ``logging.INFO``).
- ``logger``: ``Logger``, the structlog-backed logger that forwards each event to stdlib ``logging``.
- ``context``: ``get_logger`` and ``bind_logger``, the logger of the current task.
- ``protocol``: ``LoggerProtocol``, what any usable logger offers.
- ``event``: the event dict (timestamp, logger, level, message, fields) read back from a log record.
- ``tracebacks``: the exception fields added to an event.
- ``colors``: whether the console output is coloured.
- ``console``, ``json_format``, ``plain``: the formatters of the ``console``, ``json`` and ``python`` formats.
- ``custom``: delivering events to a user-supplied logger.
- ``handler``: the one root handler, writing to the current ``sys.stderr``.
- ``formats``: format names and what renders each.
- ``structlog_defaults``: plain ``structlog.get_logger()`` calls routed the same way.
- ``setup``: ``configure``, ``reset``, ``set_default_formatter`` and ``set_custom_logger``.
- ``uncaught``: the line written for an uncaught exception.

Nothing is imported here, so that importing one module does not pull in the others.
"""
