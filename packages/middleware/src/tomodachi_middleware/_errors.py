"""Errors raised by tomodachi_middleware.

TypeError
 └── MiddlewareError     something given to compose(), decorator() or the keyword helpers cannot be
                         used: not callable, not async, no parameter for ``func``, unreadable signature

Every error is raised while a chain or a wrapper is being built, never while it runs. Exceptions raised
by middlewares and handlers pass through a chain unchanged.
"""

from __future__ import annotations


class MiddlewareError(TypeError):
    """A middleware, handler or decorated function cannot be used as given."""
