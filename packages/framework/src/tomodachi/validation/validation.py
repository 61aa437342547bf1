"""Field validation helpers: ``validate_field_regex``, ``validate_field_length`` and their exceptions."""

from ._validation import RegexMissmatchException as RegexMissmatchException
from ._validation import TooLargeException as TooLargeException
from ._validation import TooSmallException as TooSmallException
from ._validation import validate_field_length as validate_field_length
from ._validation import validate_field_regex as validate_field_regex

__all__ = [
    "RegexMissmatchException",
    "TooLargeException",
    "TooSmallException",
    "validate_field_length",
    "validate_field_regex",
]
