"""Field validation helpers kept from tomodachi 0.29; the framework itself does not use them.

Exceptions::

    Exception
     ├── RegexMissmatchException   validate_field_regex: the value does not match the pattern
     ├── TooSmallException         validate_field_length: shorter than min_length
     └── TooLargeException         validate_field_length: longer than max_length
"""

from __future__ import annotations

import re
from collections.abc import Sized


class RegexMissmatchException(Exception):
    """A value does not match a pattern (the misspelt name is 0.29's)."""

    def __init__(self, value: str, pattern: str) -> None:
        super().__init__(f'RegexMissmatchException: value "{value}" does not match pattern "{pattern}"')


class TooSmallException(Exception):
    """A value is shorter than its minimum length."""

    def __init__(self, obj: Sized, min_length: int) -> None:
        super().__init__(f'TooSmallException: "{obj}" is not at least of length {min_length}')


class TooLargeException(Exception):
    """A value is longer than its maximum length."""

    def __init__(self, obj: Sized, max_length: int) -> None:
        super().__init__(f'TooLargeException: "{obj}" length is larger than {max_length}')


def validate_field_regex(value: str, pattern_str: str) -> None:
    """Checks that ``value`` matches ``pattern_str`` from its start (``re.match``).

    Raises:
        RegexMissmatchException: it does not.
    """
    if re.match(pattern_str, value) is None:
        raise RegexMissmatchException(value=value, pattern=pattern_str)


def validate_field_length(obj: Sized, min_length: int = -1, max_length: int = -1) -> None:
    """Checks the length of ``obj`` (a string, list, ...); ``-1`` leaves a bound unchecked.

    Raises:
        TooSmallException: ``len(obj) < min_length``.
        TooLargeException: ``len(obj) > max_length``.
    """
    if min_length != -1 and len(obj) < min_length:
        raise TooSmallException(obj=obj, min_length=min_length)
    if max_length != -1 and len(obj) > max_length:
        raise TooLargeException(obj=obj, max_length=max_length)
