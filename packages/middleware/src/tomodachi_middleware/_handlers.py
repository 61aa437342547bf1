"""How a transport decorator marks a function as a handler, and how the facade finds the marks.

A transport's decorator records a spec on the function (``register_handler``) and returns the
function unchanged; the spec says which transport runs it (its ``transport`` attribute) and with
which arguments. Several decorators may mark one function. This lives here, the lowest library every
transport and the scheduler depend on, so that none of them imports another or the facade.
"""

from __future__ import annotations

from typing import Any, Protocol

HANDLER_SPECS_ATTRIBUTE = "__tomodachi_handler_specs__"


class HandlerSpec(Protocol):
    """What every transport's handler spec offers: the transport object that runs it."""

    @property
    def transport(self) -> Any: ...


def register_handler(func: Any, spec: HandlerSpec) -> None:
    """Records ``spec`` on ``func``, after any spec recorded before (decorators apply bottom-up)."""
    specs: tuple[HandlerSpec, ...] = getattr(func, HANDLER_SPECS_ATTRIBUTE, ())
    setattr(func, HANDLER_SPECS_ATTRIBUTE, (*specs, spec))


def handler_specs(func: Any) -> tuple[HandlerSpec, ...]:
    """The specs recorded on ``func``; empty when it is not a handler."""
    specs = getattr(func, HANDLER_SPECS_ATTRIBUTE, ())
    return specs if isinstance(specs, tuple) else ()
