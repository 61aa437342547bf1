"""``-c`` config files: reading, merging in order and applying them to a service instance."""

import json
from pathlib import Path
from typing import Any

import pytest

import tomodachi
from tomodachi._config import ConfigFileError, apply_config, merge, read_config_files


def write_json(path: Path, value: Any) -> str:
    path.write_text(json.dumps(value))
    return str(path)


def test_merge_joins_dicts_key_by_key_at_every_depth() -> None:
    left = {"a": {"x": 1, "y": {"deep": 1}}, "b": 1}
    right = {"a": {"y": {"deeper": 2}, "z": 3}, "c": 4}

    assert merge(left, right) == {"a": {"x": 1, "y": {"deep": 1, "deeper": 2}, "z": 3}, "b": 1, "c": 4}


def test_merge_concatenates_lists() -> None:
    assert merge({"items": [1, 2]}, {"items": [2, 3]}) == {"items": [1, 2, 2, 3]}


@pytest.mark.parametrize(
    ("left", "right"),
    [(1, 2), ("a", None), ({"a": 1}, [1]), ([1], {"a": 1}), ({"a": 1}, "text")],
)
def test_merge_takes_the_right_value_when_kinds_differ_or_are_not_containers(left: Any, right: Any) -> None:
    assert merge(left, right) == right


def test_merge_leaves_its_arguments_unchanged() -> None:
    left = {"a": {"x": 1}, "items": [1]}
    right = {"a": {"y": 2}, "items": [2]}

    merge(left, right)

    assert left == {"a": {"x": 1}, "items": [1]}
    assert right == {"a": {"y": 2}, "items": [2]}


def test_files_are_merged_in_order_and_later_files_win(tmp_path: Path) -> None:
    first = write_json(
        tmp_path / "first.json", {"options": {"http": {"port": 80, "host": "0.0.0.0"}}, "x": 1}
    )
    second = write_json(tmp_path / "second.json", {"options": {"http": {"port": 8080}}, "x": 2})

    assert read_config_files([first, second]) == {
        "options": {"http": {"port": 8080, "host": "0.0.0.0"}},
        "x": 2,
    }


def test_no_files_give_an_empty_configuration() -> None:
    assert read_config_files([]) == {}


def test_missing_file_is_a_config_file_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigFileError, match="Invalid config file"):
        read_config_files([str(tmp_path / "missing.json")])


def test_invalid_json_is_a_config_file_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")

    with pytest.raises(ConfigFileError, match="invalid JSON format"):
        read_config_files([str(broken)])


def test_json_that_is_not_an_object_is_a_config_file_error(tmp_path: Path) -> None:
    listed = write_json(tmp_path / "list.json", [1, 2])

    with pytest.raises(ConfigFileError, match="not a JSON object"):
        read_config_files([listed])


def test_config_file_error_is_a_value_error() -> None:
    assert issubclass(ConfigFileError, ValueError)


class Orders(tomodachi.Service):
    name = "orders"
    options = tomodachi.Options(http={"port": 80, "host": "127.0.0.1"})
    regions = ["eu-west-1"]  # noqa: RUF012
    limits = {"orders": 10, "refunds": 1}  # noqa: RUF012
    label = "orders"


def test_options_are_merged_key_by_key_into_the_service_options() -> None:
    instance = Orders()

    apply_config(instance, {"options": {"http": {"port": 8080}, "amqp.port": 5673}})

    assert instance.options.http.port == 8080
    assert instance.options.http.host == "127.0.0.1"
    assert instance.options.amqp.port == 5673
    assert Orders.options.http.port == 80  # the class's options are not changed


def test_options_that_are_not_a_mapping_are_refused() -> None:
    with pytest.raises(ConfigFileError, match="must be a JSON object"):
        apply_config(Orders(), {"options": ["http.port"]})


def test_unknown_option_key_raises_attribute_error() -> None:
    with pytest.raises(AttributeError):
        apply_config(Orders(), {"options": {"http": {"prot": 1}}})


def test_list_attribute_is_extended_and_dict_attribute_merged() -> None:
    instance = Orders()

    apply_config(instance, {"regions": ["us-east-1"], "limits": {"refunds": 5, "returns": 2}})

    assert instance.regions == ["eu-west-1", "us-east-1"]
    assert instance.limits == {"orders": 10, "refunds": 5, "returns": 2}
    assert Orders.regions == ["eu-west-1"]


def test_scalar_attribute_is_replaced_and_new_attribute_set() -> None:
    instance: Any = Orders()

    apply_config(instance, {"label": "renamed", "region": "eu-north-1", "regions": "all"})

    assert (instance.label, instance.region, instance.regions) == ("renamed", "eu-north-1", "all")
