"""``-c`` JSON config files: read, merged in order, and applied to each service instance."""

from __future__ import annotations

import json
from typing import Any


class ConfigFileError(ValueError):
    """A config file is missing or is not a JSON object."""


def merge(left: Any, right: Any) -> Any:
    """``right`` merged onto ``left``: dicts key by key, lists concatenated, otherwise ``right``."""
    if isinstance(left, dict) and isinstance(right, dict):
        merged = dict(left)
        for key, value in right.items():
            merged[key] = merge(merged[key], value) if key in merged else value
        return merged
    if isinstance(left, list) and isinstance(right, list):
        return left + right
    return right


def read_config_files(paths: list[str]) -> dict[str, Any]:
    """The files' JSON objects merged in order (later files win).

    Raises:
        ConfigFileError: a file cannot be read or holds no JSON object.
    """
    configuration: dict[str, Any] = {}
    for path in paths:
        try:
            with open(path, encoding="utf-8") as file:
                loaded = json.load(file)
        except OSError as exc:
            raise ConfigFileError(f"Invalid config file: {exc}") from exc
        except ValueError as exc:
            raise ConfigFileError(f"Invalid config file, invalid JSON format: {exc}") from exc
        if not isinstance(loaded, dict):
            raise ConfigFileError(f"Invalid config file, not a JSON object: {path}")
        configuration = merge(configuration, loaded)
    return configuration


def apply_config(instance: Any, configuration: dict[str, Any]) -> None:
    """Applies a merged configuration to a service instance.

    ``options`` is merged into the service's own options key by key (tomodachi 0.29 replaced them
    whole); other keys become instance attributes, merged with a dict or list already there.
    """
    for key, value in configuration.items():
        if key == "options":
            if not isinstance(value, dict):
                raise ConfigFileError("the 'options' of a config file must be a JSON object")
            instance.options = (
                instance.options.merged(value) if hasattr(instance.options, "merged") else value
            )
            continue
        current = getattr(instance, key, None)
        setattr(instance, key, merge(current, value) if isinstance(current, dict | list) else value)
