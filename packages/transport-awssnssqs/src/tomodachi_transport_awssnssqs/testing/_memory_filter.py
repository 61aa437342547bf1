"""SNS subscription filter policies: checked when set, matched against each published message.

Both scopes are known: ``MessageAttributes`` (the default; a key names a message attribute) and
``MessageBody`` (keys walk into the JSON body). A key's list of conditions matches when one of them does;
a policy matches when every key does (``$or`` takes a list of alternative policies). Conditions: an exact
string, number, boolean or ``null``; ``prefix``, ``suffix``, ``equals-ignore-case``, ``wildcard``,
``anything-but`` (a value, a list, or a ``prefix``/``suffix``), ``numeric`` ranges, ``exists``, ``cidr``.
Binary attributes never match; ``String.Array`` attributes match when one of their elements does.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import json
from collections.abc import Mapping
from typing import Any

_MISSING = object()
_NUMERIC_OPS = {"=", "<", "<=", ">", ">="}


class FilterPolicyError(ValueError):
    """The filter policy is malformed."""


def parse_policy(text: str, scope: str) -> dict[str, Any] | None:
    """Parse and check a ``FilterPolicy`` attribute; ``None`` for an empty one (everything matches).

    Raises:
        FilterPolicyError: not a JSON object of condition lists, or an unknown operator.
    """
    if text in ("", None):
        return None
    try:
        policy = json.loads(text)
    except ValueError:
        raise FilterPolicyError("failed to parse JSON") from None
    if not isinstance(policy, dict):
        raise FilterPolicyError("filter policy must be a JSON object")
    _check(policy, nested=scope == "MessageBody")
    return policy or None


def _check(policy: Mapping[str, Any], nested: bool) -> None:
    for key, value in policy.items():
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2:
                raise FilterPolicyError("$or needs a list of at least two policies")
            for alternative in value:
                if not isinstance(alternative, dict):
                    raise FilterPolicyError("$or alternatives must be objects")
                _check(alternative, nested)
        elif isinstance(value, dict) and nested:
            _check(value, nested)
        elif isinstance(value, list) and value:
            for condition in value:
                _check_condition(key, condition)
        else:
            raise FilterPolicyError(f"{key}: the value of a key must be a non-empty list of conditions")


def _check_condition(key: str, condition: Any) -> None:
    if condition is None or isinstance(condition, str | int | float | bool):
        return
    if not isinstance(condition, dict) or len(condition) != 1:
        raise FilterPolicyError(f"{key}: a condition must be a value or an object with one operator")
    operator, operand = next(iter(condition.items()))
    if operator in ("prefix", "suffix", "equals-ignore-case", "wildcard"):
        if not isinstance(operand, str):
            raise FilterPolicyError(f"{key}: {operator} needs a string")
    elif operator == "exists":
        if not isinstance(operand, bool):
            raise FilterPolicyError(f"{key}: exists needs true or false")
    elif operator == "numeric":
        if not isinstance(operand, list) or not operand or len(operand) % 2 or len(operand) > 4:
            raise FilterPolicyError(f"{key}: numeric needs one or two operator/value pairs")
        for op, number in zip(operand[::2], operand[1::2], strict=True):
            if op not in _NUMERIC_OPS or not _is_number(number):
                raise FilterPolicyError(f"{key}: bad numeric comparison {op!r} {number!r}")
    elif operator == "anything-but":
        if isinstance(operand, dict):
            if len(operand) != 1 or next(iter(operand)) not in ("prefix", "suffix"):
                raise FilterPolicyError(f"{key}: anything-but takes a prefix or suffix object")
        elif not isinstance(operand, str | int | float | list) or isinstance(operand, bool):
            raise FilterPolicyError(f"{key}: anything-but takes a value or a list")
    elif operator == "cidr":
        try:
            ipaddress.ip_network(str(operand), strict=False)
        except ValueError:
            raise FilterPolicyError(f"{key}: bad cidr {operand!r}") from None
    else:
        raise FilterPolicyError(f"{key}: unrecognized match type {operator}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def attribute_values(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The values a policy sees of SNS message attributes (botocore form): strings, numbers, elements."""
    values: dict[str, list[Any]] = {}
    for name, attribute in attributes.items():
        data_type = str(attribute.get("DataType", ""))
        text = attribute.get("StringValue")
        if data_type.startswith("Binary") or text is None:
            values[name] = []
        elif data_type == "String.Array":
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = [text]
            values[name] = parsed if isinstance(parsed, list) else [parsed]
        elif data_type.startswith("Number"):
            values[name] = [float(text)]
        else:
            values[name] = [text]
    return values


def matches(policy: Mapping[str, Any] | None, attributes: Mapping[str, list[Any]]) -> bool:
    """Whether a message's attributes pass a ``MessageAttributes``-scoped policy (``None``: all pass).

    Args:
        policy: The parsed policy.
        attributes: The message attributes, as :func:`attribute_values` gives them.
    """
    if policy is None:
        return True
    return _match(policy, lambda key: attributes.get(key, _MISSING), nested=False)


def body_matches(policy: Mapping[str, Any] | None, body: str) -> bool:
    """Whether a message body (JSON) passes a ``MessageBody``-scoped policy; a non-JSON body never does."""
    if policy is None:
        return True
    try:
        document = json.loads(body)
    except ValueError:
        return False
    return isinstance(document, dict) and _match_body(policy, document)


def _match(policy: Mapping[str, Any], lookup: Any, nested: bool) -> bool:
    for key, conditions in policy.items():
        if key == "$or":
            if not any(_match(alternative, lookup, nested) for alternative in conditions):
                return False
            continue
        found = lookup(key)
        present = found is not _MISSING
        candidates = found if present else []
        if not any(_condition(condition, present, candidates) for condition in conditions):
            return False
    return True


def _match_body(policy: Mapping[str, Any], document: Mapping[str, Any]) -> bool:
    for key, conditions in policy.items():
        if key == "$or":
            if not any(_match_body(alternative, document) for alternative in conditions):
                return False
            continue
        value = document.get(key, _MISSING)
        if isinstance(conditions, dict):
            inner = [item for item in _as_list(value) if isinstance(item, dict)]
            if not any(_match_body(conditions, item) for item in inner):
                return False
            continue
        present = value is not _MISSING
        candidates = _as_list(value) if present else []
        if not any(_condition(condition, present, candidates) for condition in conditions):
            return False
    return True


def _as_list(value: Any) -> list[Any]:
    if value is _MISSING:
        return []
    return value if isinstance(value, list) else [value]


def _same(condition: Any, value: Any) -> bool:
    if isinstance(condition, bool) or isinstance(value, bool):
        return condition is value
    if _is_number(condition):
        return _is_number(value) and float(value) == float(condition)
    return bool(condition == value)


def _condition(condition: Any, present: bool, values: list[Any]) -> bool:
    if not isinstance(condition, dict):
        return present and any(_same(condition, value) for value in values)
    operator, operand = next(iter(condition.items()))
    if operator == "exists":
        return present is operand
    if not present:
        return False
    texts = [value for value in values if isinstance(value, str)]
    if operator == "prefix":
        return any(text.startswith(operand) for text in texts)
    if operator == "suffix":
        return any(text.endswith(operand) for text in texts)
    if operator == "equals-ignore-case":
        return any(text.casefold() == operand.casefold() for text in texts)
    if operator == "wildcard":
        return any(fnmatch.fnmatchcase(text, operand.replace("[", "[[]")) for text in texts)
    if operator == "numeric":
        numbers = [float(value) for value in values if _is_number(value)]
        return any(_in_range(number, operand) for number in numbers)
    if operator == "cidr":
        network = ipaddress.ip_network(str(operand), strict=False)
        return any(_in_network(text, network) for text in texts)
    return _anything_but(operand, values)


def _anything_but(operand: Any, values: list[Any]) -> bool:
    if isinstance(operand, dict):
        kind, fix = next(iter(operand.items()))
        excluded = [
            isinstance(value, str) and (value.startswith(fix) if kind == "prefix" else value.endswith(fix))
            for value in values
        ]
        return bool(values) and not all(excluded)
    banned = operand if isinstance(operand, list) else [operand]
    return bool(values) and any(not any(_same(item, value) for item in banned) for value in values)


def _in_range(number: float, operand: list[Any]) -> bool:
    for op, bound in zip(operand[::2], operand[1::2], strict=True):
        limit = float(bound)
        ok = {
            "=": number == limit,
            "<": number < limit,
            "<=": number <= limit,
            ">": number > limit,
            ">=": number >= limit,
        }[op]
        if not ok:
            return False
    return True


def _in_network(text: str, network: Any) -> bool:
    try:
        return ipaddress.ip_address(text) in network
    except ValueError:
        return False
