"""``tomodachi.validation``: 0.29's field validation helpers."""

import pytest

import tomodachi.validation
from tomodachi.validation.validation import (
    RegexMissmatchException,
    TooLargeException,
    TooSmallException,
    validate_field_length,
    validate_field_regex,
)


def test_helpers_are_reachable_from_the_package_and_the_0_29_module() -> None:
    assert tomodachi.validation.validate_field_regex is validate_field_regex
    assert tomodachi.validation.validation.validate_field_length is validate_field_length


def test_matching_value_passes() -> None:
    validate_field_regex("order-42", r"^order-\d+$")


def test_pattern_matches_from_the_start_of_the_value_only() -> None:
    validate_field_regex("order-42 and more", r"order-\d+")

    with pytest.raises(RegexMissmatchException):
        validate_field_regex("the order-42", r"order-\d+")


def test_mismatch_names_the_value_and_the_pattern() -> None:
    with pytest.raises(RegexMissmatchException) as raised:
        validate_field_regex("abc", r"^\d+$")

    assert str(raised.value) == r'RegexMissmatchException: value "abc" does not match pattern "^\d+$"'


@pytest.mark.parametrize("value", ["ab", ["a", "b"], "abcd"])
def test_length_within_bounds_passes(value: str | list[str]) -> None:
    validate_field_length(value, min_length=2, max_length=4)


def test_too_short_value_raises_too_small() -> None:
    with pytest.raises(TooSmallException) as raised:
        validate_field_length("a", min_length=2)

    assert str(raised.value) == 'TooSmallException: "a" is not at least of length 2'


def test_too_long_value_raises_too_large() -> None:
    with pytest.raises(TooLargeException) as raised:
        validate_field_length(["a", "b", "c"], max_length=2)

    assert str(raised.value) == "TooLargeException: \"['a', 'b', 'c']\" length is larger than 2"


def test_minus_one_leaves_a_bound_unchecked() -> None:
    validate_field_length("", max_length=-1)
    validate_field_length("x" * 10_000, min_length=-1)


def test_exceptions_are_plain_exceptions() -> None:
    for exception in (RegexMissmatchException, TooSmallException, TooLargeException):
        assert issubclass(exception, Exception)
        assert not issubclass(exception, ValueError)
