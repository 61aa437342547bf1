import copy
import pickle
from typing import Any, ClassVar

import pytest

from tomodachi_middleware import OptionsSection


class LimitsOptions(OptionsSection, prefix="queue.limits"):
    __slots__ = ("per_consumer", "total")

    total: int
    per_consumer: int

    def __init__(self, *, total: int = 400, per_consumer: int = 100, **options: Any) -> None:
        self.total = total
        self.per_consumer = per_consumer
        if options:
            self.update(options)


class QueueOptions(
    OptionsSection,
    prefix="queue",
    aliases={
        "size": "max_size",
        "label": ("name", "title"),
        "limits_total": "limits.total",
        "address": "^server.host",
    },
):
    LIMITS: ClassVar[type[LimitsOptions]] = LimitsOptions

    __slots__ = ("limits", "max_size", "name", "tags", "title")

    name: str
    title: str | None
    max_size: int
    tags: list[str]
    limits: LimitsOptions

    def __init__(
        self,
        *,
        name: str = "jobs",
        title: str | None = None,
        max_size: int = 10,
        tags: list[str] | None = None,
        limits: LimitsOptions | dict[str, Any] | None = None,
        **options: Any,
    ) -> None:
        self.name = name
        self.title = title
        self.max_size = max_size
        self.tags = [] if tags is None else tags
        self.limits = self.LIMITS()
        if limits is not None:
            self.update(limits=limits)
        if options:
            self.update(options)


class ServerOptions(OptionsSection, prefix="server"):
    __slots__ = ("host",)

    host: str

    def __init__(self, *, host: str = "127.0.0.1", **options: Any) -> None:
        self.host = host
        if options:
            self.update(options)


class AllOptions(OptionsSection, aliases={"legacy.host": "server.host"}):
    __slots__ = ("queue", "server")

    queue: QueueOptions
    server: ServerOptions

    def __init__(self, **options: Any) -> None:
        self.queue = QueueOptions()
        self.server = ServerOptions()
        if options:
            self.update(options)


class Renamed:
    class Queue(QueueOptions):
        __slots__ = ()

        class LIMITS(LimitsOptions):
            __slots__ = ()


def test_attribute_access_reads_and_writes_plain_slots() -> None:
    section = QueueOptions(max_size=3)
    section.max_size = 4
    assert section.max_size == 4
    assert not hasattr(section, "__dict__")


def test_setting_an_unknown_attribute_names_the_class_and_key() -> None:
    with pytest.raises(AttributeError, match=r"^'QueueOptions' object has no attribute 'nope'$"):
        QueueOptions().nope = 1  # type: ignore[attr-defined]


def test_keys_follow_the_order_of_the_annotations_not_of_the_slots() -> None:
    assert list(QueueOptions().keys()) == ["name", "title", "max_size", "tags", "limits"]
    assert list(LimitsOptions()) == ["total", "per_consumer"]


def test_class_attributes_and_private_names_are_not_keys() -> None:
    assert "LIMITS" not in list(QueueOptions().keys())
    assert "_prefix" not in list(QueueOptions().keys())


def test_a_section_class_without_slots_is_refused() -> None:
    with pytest.raises(TypeError, match="must declare __slots__"):

        class Loose(OptionsSection, prefix="loose"):
            value: int


def test_item_access_follows_dotted_paths_and_nested_items() -> None:
    section = QueueOptions()
    assert section["max_size"] == 10
    assert section["limits.total"] == 400
    assert section["limits"]["per_consumer"] == 100
    assert section["limits"] is section.limits


def test_reading_an_unknown_key_raises_attribute_error_from_the_section_that_lacks_it() -> None:
    section = AllOptions()
    with pytest.raises(AttributeError, match=r"^'AllOptions' object has no attribute 'nope'$"):
        section["nope.host"]
    with pytest.raises(AttributeError, match=r"^'ServerOptions' object has no attribute 'nope'$"):
        section["server.nope"]
    with pytest.raises(AttributeError, match=r"^'str' object has no attribute 'x'$"):
        section["server.host.x"]


def test_methods_are_not_readable_as_keys() -> None:
    with pytest.raises(AttributeError):
        QueueOptions()["keys"]


def test_get_returns_the_default_only_for_missing_paths() -> None:
    section = AllOptions()
    assert section.get("queue.limits.total") == 400
    assert section.get("queue.nope", 5) == 5
    assert section.get("nope.deeper", None) is None
    assert section.get("queue.title", "unused") is None
    with pytest.raises(AttributeError):
        section.get("queue.nope")


def test_contains_checks_dotted_paths() -> None:
    section = AllOptions()
    assert "queue.limits.total" in section
    assert "queue" in section
    assert "queue.nope" not in section
    assert 3 not in section


def test_non_string_keys_are_a_type_error() -> None:
    with pytest.raises(TypeError, match="option keys are strings"):
        QueueOptions()[0]  # type: ignore[index]


def test_item_assignment_sets_a_dotted_value() -> None:
    section = AllOptions()
    section["queue.limits.total"] = 7
    section["server.host"] = "example.org"
    assert section.queue.limits.total == 7
    assert section.server.host == "example.org"


def test_item_assignment_of_an_unknown_key_raises() -> None:
    with pytest.raises(AttributeError, match=r"^'LimitsOptions' object has no attribute 'nope'$"):
        AllOptions()["queue.limits.nope"] = 1


def test_item_assignment_of_a_mapping_replaces_a_nested_section() -> None:
    section = QueueOptions()
    section.limits.per_consumer = 1
    section["limits"] = {"total": 9}
    assert section.limits.total == 9
    assert section.limits.per_consumer == 100


def test_a_nested_section_takes_an_object_of_its_kind_or_a_mapping() -> None:
    section = QueueOptions()
    limits = LimitsOptions(total=1)
    section["limits"] = limits
    assert section.limits is limits
    with pytest.raises(
        TypeError, match=r"^'limits' takes LimitsOptions options or a mapping, not ServerOptions$"
    ):
        section["limits"] = ServerOptions()
    with pytest.raises(TypeError, match="not int"):
        section["limits"] = 3


def test_a_subclass_that_renames_a_section_fits_the_slot_of_its_base() -> None:
    section = QueueOptions()
    section["limits"] = Renamed.Queue.LIMITS(total=2)
    assert section.limits.total == 2


def test_a_renaming_subclass_builds_its_own_nested_classes() -> None:
    queue = Renamed.Queue(limits={"total": 3})
    assert type(queue.limits) is Renamed.Queue.LIMITS
    assert queue.limits.total == 3
    assert list(queue.keys()) == list(QueueOptions().keys())


def test_update_applies_nested_and_dotted_mappings_key_by_key() -> None:
    section = AllOptions()
    section.queue.name = "kept"
    section.update({"queue": {"limits": {"total": 1}}, "queue.max_size": 2}, server={"host": "h"})
    assert section.queue.limits.total == 1
    assert section.queue.limits.per_consumer == 100
    assert section.queue.max_size == 2
    assert section.queue.name == "kept"
    assert section.server.host == "h"


def test_constructor_keywords_accept_dotted_keys() -> None:
    section = AllOptions(**{"queue.limits.per_consumer": 4})
    assert section.queue.limits.per_consumer == 4


def test_aliases_write_to_one_or_several_keys() -> None:
    section = QueueOptions(size=5, label="x", limits_total=6)
    assert section.max_size == 5
    assert section.name == "x"
    assert section.title == "x"
    assert section.limits.total == 6


def test_an_alias_into_the_enclosing_section_works_through_it() -> None:
    section = AllOptions(queue={"address": "10.0.0.1"})
    assert section.server.host == "10.0.0.1"
    section["queue.address"] = "10.0.0.2"
    assert section.server.host == "10.0.0.2"


def test_an_alias_into_the_enclosing_section_fails_on_a_lone_section() -> None:
    with pytest.raises(
        AttributeError, match=r"^'address' on 'QueueOptions' is a legacy name for 'server\.host'"
    ):
        QueueOptions(address="10.0.0.1")


def test_a_mapping_under_an_unknown_key_is_read_as_dotted_keys() -> None:
    section = AllOptions(legacy={"host": "old"})
    assert section.server.host == "old"


def test_a_mapping_that_mixes_known_and_unknown_names_lists_the_unknown_ones() -> None:
    with pytest.raises(AttributeError, match=r"^Invalid attribute\(s\) in dict: a, b$"):
        AllOptions(legacy={"a": 1, "host": "old", "b": 2})


def test_a_mapping_of_unknown_names_only_reports_its_key() -> None:
    with pytest.raises(AttributeError, match=r"^'AllOptions' object has no attribute 'legacy'$"):
        AllOptions(legacy={"a": 1})


def test_unknown_keywords_are_refused() -> None:
    with pytest.raises(AttributeError, match=r"^'QueueOptions' object has no attribute 'nope'$"):
        QueueOptions(nope=1)


def test_the_attribute_error_carries_name_and_object() -> None:
    section = QueueOptions()
    with pytest.raises(AttributeError) as info:
        section["nope"]
    assert info.value.name == "nope"
    assert info.value.obj is section


def test_asdict_flattens_nested_sections_with_an_optional_prefix() -> None:
    section = QueueOptions()
    assert section.asdict() == {
        "name": "jobs",
        "title": None,
        "max_size": 10,
        "tags": [],
        "limits.total": 400,
        "limits.per_consumer": 100,
    }
    assert next(iter(section.asdict(prefix="queue."))) == "queue.name"
    assert dict(section.items()) == section.asdict()


def test_merged_returns_a_changed_deep_copy() -> None:
    section = AllOptions()
    result = section.merged({"queue": {"tags": ["a"]}, "server.host": "h"})
    assert result.queue.tags == ["a"]
    assert result.server.host == "h"
    assert section.queue.tags == []
    assert section.server.host == "127.0.0.1"
    assert result.queue is not section.queue
    assert type(result) is AllOptions


def test_merged_leaves_the_original_untouched_on_error() -> None:
    section = AllOptions()
    with pytest.raises(AttributeError):
        section.merged({"server.host": "h", "server.nope": 1})
    assert section.server.host == "127.0.0.1"


def test_sections_copy_and_pickle() -> None:
    section = QueueOptions(tags=["a"], limits={"total": 1})
    clone = copy.deepcopy(section)
    assert clone.asdict() == section.asdict()
    assert clone.tags is not section.tags
    assert pickle.loads(pickle.dumps(clone)).asdict() == section.asdict()


def test_repr_of_a_section_is_a_tree_headed_by_its_prefix() -> None:
    assert repr(QueueOptions(tags=["a"])) == (
        '∴ queue <class: "QueueOptions" -- prefix: "queue">:\n'
        '  | name = "jobs"\n'
        "  | title = None\n"
        "  | max_size = 10\n"
        "  | tags = ['a']\n"
        '  · limits <class: "LimitsOptions" -- prefix: "queue.limits">:\n'
        "    | total = 400\n"
        "    | per_consumer = 100\n"
    )


def test_repr_of_a_root_section_separates_its_sections_with_blank_lines() -> None:
    text = repr(AllOptions())
    assert text.startswith('∴ queue <class: "QueueOptions" -- prefix: "queue">:\n')
    assert text.endswith(
        '\n\n∴ server <class: "ServerOptions" -- prefix: "server">:\n  | host = "127.0.0.1"\n'
    )


def test_repr_uses_the_qualified_name_of_a_renaming_subclass() -> None:
    assert repr(Renamed.Queue()).startswith('∴ queue <class: "Renamed.Queue" -- prefix: "queue">:')
    assert '· limits <class: "Renamed.Queue.LIMITS" -- prefix: "queue.limits">:' in repr(Renamed.Queue())
