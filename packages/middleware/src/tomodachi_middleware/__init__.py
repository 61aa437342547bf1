"""Compose handlers with tomodachi-style middleware chains.

``compose(handler, middlewares, positionals=...)`` reads every signature once and returns the
chain, an async function that runs the middlewares around the handler in the caller's task.
``decorator`` turns a check into a handler decorator that may answer instead of the handler.
``emit``/``observe`` carry operational events from transports to observers (metrics, readiness).
``intercept_publish`` runs a function around every publish of the transports (``Publication``);
``intercept_scheduled_runs`` around every scheduled run.
``OptionsSection`` is the base of the options sections that the transports own (``http.*``,
``amqp.*``, ...): it lives here because every transport depends on this library. Only the standard
library is needed.

    >>> import asyncio
    >>> async def handler(**keywords):
    ...     return keywords
    >>> async def add_user(func, *, request):
    ...     return await func(user="ada")
    >>> chain = compose(handler, [add_user], positionals=("service", "request"))
    >>> asyncio.run(chain(None, "GET /", request="GET /"))
    {'user': 'ada', 'request': 'GET /'}
"""

from .__about__ import __version__ as __version__
from ._chain import compose as compose
from ._decorator import HandlerDecorator as HandlerDecorator
from ._decorator import decorator as decorator
from ._errors import MiddlewareError as MiddlewareError
from ._events import Observer as Observer
from ._events import emit as emit
from ._events import observe as observe
from ._events import observed as observed
from ._handler_context import handler_context as handler_context
from ._handler_context import reset_handler_context as reset_handler_context
from ._handler_context import set_handler_context as set_handler_context
from ._handlers import HANDLER_SPECS_ATTRIBUTE as HANDLER_SPECS_ATTRIBUTE
from ._handlers import HandlerSpec as HandlerSpec
from ._handlers import handler_specs as handler_specs
from ._handlers import register_handler as register_handler
from ._keywords import KeywordFilter as KeywordFilter
from ._keywords import accepted_keywords as accepted_keywords
from ._options_section import OptionsSection as OptionsSection
from ._publishing import PUBLISH_INTERCEPTORS as PUBLISH_INTERCEPTORS
from ._publishing import SCHEDULED_RUN_INTERCEPTORS as SCHEDULED_RUN_INTERCEPTORS
from ._publishing import Publication as Publication
from ._publishing import PublishInterceptor as PublishInterceptor
from ._publishing import ScheduledRun as ScheduledRun
from ._publishing import ScheduledRunInterceptor as ScheduledRunInterceptor
from ._publishing import intercept_publish as intercept_publish
from ._publishing import intercept_scheduled_runs as intercept_scheduled_runs
from ._publishing import intercepted as intercepted
from ._publishing import intercepted_run as intercepted_run
from ._types import CallNext as CallNext
from ._types import Chain as Chain
from ._types import Handler as Handler
from ._types import Middleware as Middleware
from ._types import MiddlewareContext as MiddlewareContext

__all__ = [
    "HANDLER_SPECS_ATTRIBUTE",
    "PUBLISH_INTERCEPTORS",
    "SCHEDULED_RUN_INTERCEPTORS",
    "CallNext",
    "Chain",
    "Handler",
    "HandlerDecorator",
    "HandlerSpec",
    "KeywordFilter",
    "Middleware",
    "MiddlewareContext",
    "MiddlewareError",
    "Observer",
    "OptionsSection",
    "Publication",
    "PublishInterceptor",
    "ScheduledRun",
    "ScheduledRunInterceptor",
    "__version__",
    "accepted_keywords",
    "compose",
    "decorator",
    "emit",
    "handler_context",
    "handler_specs",
    "intercept_publish",
    "intercept_scheduled_runs",
    "intercepted",
    "intercepted_run",
    "observe",
    "observed",
    "register_handler",
    "reset_handler_context",
    "set_handler_context",
]
