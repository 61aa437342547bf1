"""Options sections: typed groups of settings with tomodachi's dotted access on top.

Every transport library owns one section of a service's options (``http.*``, ``amqp.*``, ...) and the
framework puts them together. The access rules are the same everywhere, so they live here, in the one
library that all transports already depend on.

A section is a plain class with ``__slots__``: reading ``section.port`` is an ordinary attribute read,
and assigning an attribute the section does not have fails the way it fails on any slotted object. The
base class adds the mapping-like surface of tomodachi's options:

- ``section["a.b"]``, ``section.get("a.b", default)`` and ``"a.b" in section`` follow dotted paths
  through nested sections; ``section["a.b"] = value`` sets one value, or replaces a nested section.
- ``keys()`` names the section's own keys; ``items()`` and ``asdict(prefix="")`` give the flat
  ``{"a.b": value}`` map of every value below it.
- ``update(mapping)`` applies a nested or dotted mapping key by key, legacy names included, and keeps
  the values it does not mention; ``merged(mapping)`` does the same on a copy.
- ``repr()`` draws the tree of sections and values.

An unknown key raises ``AttributeError("'<Class>' object has no attribute '<key>'")``.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import ItemsView, Iterator, KeysView, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Final, Self

_MISSING: Final[Any] = object()
_UP: Final = "^"


class OptionsSection:
    """Base class of an options section: declare the keys, get tomodachi's access rules.

    A section class lists its keys in ``__slots__``, annotates them (the order of the annotations is
    the order of ``keys()``, ``asdict()`` and ``repr()``) and sets them in a keyword-only ``__init__``
    that gives every key its default. It must be constructible without arguments. Two class
    keywords describe it::

        class QueueOptions(OptionsSection, prefix="queue", aliases={"size": "max_size"}):
            __slots__ = ("max_size", "name")

            name: str
            max_size: int

            def __init__(self, *, name: str = "", max_size: int = 10, **options: Any) -> None:
                self.name = name
                self.max_size = max_size
                if options:
                    self.update(options)

    - ``prefix``: the section's dotted place in the full options tree (``"http"``, ``"amqp.qos"``).
      It heads the section in ``repr()``, and a section object fits a slot of another section only
      when the prefixes are equal. Subclasses inherit it.
    - ``aliases``: legacy names, each mapped to one key or a tuple of keys that a value given under
      that name is written to. A target is a dotted path from the section; a target that starts with
      ``^`` is a path from the enclosing section instead (a legacy name that moved to a sibling
      section), and works only when the value arrives through the enclosing section.

    A value is a nested section when it is an ``OptionsSection``; nothing else needs declaring. A
    subclass that only renames a section (``class HTTP(HTTPOptions)``) declares ``__slots__ = ()``.
    """

    __slots__ = ()

    _prefix: ClassVar[str] = ""
    _aliases: ClassVar[Mapping[str, tuple[str, ...]]] = MappingProxyType({})
    _keys: ClassVar[dict[str, None]] = {}

    def __init_subclass__(
        cls,
        *,
        prefix: str | None = None,
        aliases: Mapping[str, str | tuple[str, ...]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if "__slots__" not in cls.__dict__:
            raise TypeError(f"options section {cls.__qualname__} must declare __slots__")
        if prefix is not None:
            cls._prefix = prefix
        if aliases is not None:
            cls._aliases = MappingProxyType(
                {
                    name: (target,) if isinstance(target, str) else tuple(target)
                    for name, target in aliases.items()
                }
            )
        slots: list[str] = []
        annotated: list[str] = []
        for klass in reversed(cls.__mro__):
            declared = klass.__dict__.get("__slots__", ())
            slots.extend((declared,) if isinstance(declared, str) else declared)
            annotated.extend(inspect.get_annotations(klass))
        public = [name for name in slots if not name.startswith("_")]
        # Keys come in the order of their annotations; a slot left unannotated comes last.
        cls._keys = dict.fromkeys([name for name in annotated if name in public] + public)

    # Reading

    def get(self, key: str, default: Any = _MISSING) -> Any:
        """Return the value at a dotted path (``"qos.queue_prefetch_count"``).

        Args:
            key: A key of this section, or a dotted path through nested sections.
            default: Returned when the path does not exist. Without it, a missing path raises.

        Returns:
            The value, which is a section object when the path names a nested section.

        Raises:
            AttributeError: The path does not exist and no default was given.
        """
        try:
            return self._lookup(key)
        except AttributeError:
            if default is _MISSING:
                raise
            return default

    def __getitem__(self, key: str) -> Any:
        return self._lookup(key)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            self._lookup(key)
        except AttributeError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def keys(self) -> KeysView[str]:
        """The section's own keys, nested sections included, in declaration order."""
        return self._keys.keys()

    def items(self) -> ItemsView[str, Any]:
        """The flat ``(dotted key, value)`` pairs of every value below this section."""
        return self.asdict().items()

    def asdict(self, *, prefix: str = "") -> dict[str, Any]:
        """Return every value below this section as a flat ``{"dotted.key": value}`` dict.

        Args:
            prefix: Put in front of every key, for example ``"http."``.

        Returns:
            A new dict; nested sections are flattened into dotted keys, values are not copied.
        """
        result: dict[str, Any] = {}
        for key in self._keys:
            value = getattr(self, key)
            if isinstance(value, OptionsSection):
                result.update(value.asdict(prefix=f"{prefix}{key}."))
            else:
                result[f"{prefix}{key}"] = value
        return result

    def _lookup(self, key: str) -> Any:
        if not isinstance(key, str):
            raise TypeError(f"option keys are strings, not {type(key).__name__}")
        node: Any = self
        for part in key.split("."):
            if not isinstance(node, OptionsSection) or part not in node._keys:
                raise _unknown(node, part)
            node = getattr(node, part)
        return node

    # Writing

    def __setitem__(self, key: str, value: Any) -> None:
        self._assign(key, value, None, merge=False)

    def update(self, mapping: Mapping[str, Any] | None = None, /, **options: Any) -> None:
        """Apply values key by key, keeping every value that is not mentioned.

        Keys may be dotted (``"qos.queue_prefetch_count"``) or legacy names. A mapping given for a
        nested section is applied to that section key by key as well; a section object replaces it.
        A mapping given under an unknown key is read as dotted keys below that key
        (``{"aws": {"region_name": ...}}`` is ``{"aws.region_name": ...}``), which is how legacy groups
        of names are found.

        Args:
            mapping: Values to apply, in order.
            **options: More values, applied after ``mapping``.

        Raises:
            AttributeError: A key is not known; or a mapping under an unknown key mixes known and
                unknown names (``Invalid attribute(s) in dict: ...``). Values before it are applied.
            TypeError: A nested section was given something that is neither a mapping nor a section
                object of its kind.
        """
        for source in (mapping or {}, options):
            for key, value in source.items():
                self._assign(key, value, None, merge=True)

    def merged(self, mapping: Mapping[str, Any]) -> Self:
        """Return a deep copy of this section with ``mapping`` applied as :meth:`update` does.

        Raises:
            AttributeError, TypeError: As :meth:`update`; this section is left untouched.
        """
        result = copy.deepcopy(self)
        result.update(mapping)
        return result

    def _assign(self, key: str, value: Any, enclosing: OptionsSection | None, *, merge: bool) -> None:
        if not isinstance(key, str):
            raise TypeError(f"option keys are strings, not {type(key).__name__}")
        if key in self._keys:
            current = getattr(self, key)
            if isinstance(current, OptionsSection):
                setattr(self, key, self._section_value(key, current, value, merge=merge))
            else:
                setattr(self, key, value)
            return

        targets = self._aliases.get(key)
        if targets is not None:
            for target in targets:
                if not target.startswith(_UP):
                    self._assign(target, value, enclosing, merge=merge)
                elif enclosing is None:
                    raise AttributeError(
                        f"'{key}' on '{type(self).__name__}' is a legacy name for '{target[1:]}' of the "
                        "enclosing options: give it through them instead",
                        name=key,
                        obj=self,
                    )
                else:
                    enclosing._assign(target[1:], value, None, merge=merge)
            return

        head, dot, rest = key.partition(".")
        if dot and head in self._keys:
            child = getattr(self, head)
            if not isinstance(child, OptionsSection):
                raise _unknown(child, rest.partition(".")[0])
            child._assign(rest, value, self, merge=merge)
            return

        if isinstance(value, Mapping):
            self._assign_group(key, value, enclosing, merge=merge)
            return
        raise _unknown(self, head)

    def _section_value(self, key: str, current: OptionsSection, value: Any, *, merge: bool) -> OptionsSection:
        if isinstance(value, OptionsSection):
            if value._prefix != current._prefix:
                raise TypeError(
                    f"'{key}' takes {type(current).__qualname__} options or a mapping, "
                    f"not {type(value).__qualname__}"
                )
            return value
        if not isinstance(value, Mapping):
            raise TypeError(
                f"'{key}' takes {type(current).__qualname__} options or a mapping, not {type(value).__name__}"
            )
        section = current if merge else type(current)()
        for subkey, subvalue in value.items():
            section._assign(subkey, subvalue, self, merge=True)
        return section

    def _assign_group(
        self, key: str, group: Mapping[str, Any], enclosing: OptionsSection | None, *, merge: bool
    ) -> None:
        invalid: list[str] = []
        applied = False
        for subkey, value in group.items():
            try:
                self._assign(f"{key}.{subkey}", value, enclosing, merge=merge)
            except AttributeError:
                invalid.append(str(subkey))
            else:
                applied = True
        if invalid and applied:
            raise AttributeError(f"Invalid attribute(s) in dict: {', '.join(invalid)}")
        if invalid:
            raise _unknown(self, key.partition(".")[0])

    # Display

    def __repr__(self) -> str:
        lines: list[str] = []
        if self._prefix:
            _draw(self, lines, 0, "∴")
            return "\n".join(lines) + "\n"
        for key in self._keys:
            value = getattr(self, key)
            if isinstance(value, OptionsSection):
                if lines:
                    lines.append("")
                _draw(value, lines, 0, "∴")
            else:
                lines.append(f"| {key} = {_shown(value)}")
        return "\n".join(lines) + "\n"


def _draw(section: OptionsSection, lines: list[str], indent: int, mark: str) -> None:
    prefix = section._prefix
    name = prefix.rpartition(".")[2]
    lines.append(
        f'{" " * indent}{mark} {name} <class: "{type(section).__qualname__}" -- prefix: "{prefix}">:'
    )
    for key in section._keys:
        value = getattr(section, key)
        if isinstance(value, OptionsSection):
            _draw(value, lines, indent + 2, "·")
        else:
            lines.append(f"{' ' * (indent + 2)}| {key} = {_shown(value)}")


def _shown(value: object) -> str:
    return f'"{value}"' if type(value) is str else str(value)


def _unknown(obj: object, name: str) -> AttributeError:
    return AttributeError(f"'{type(obj).__name__}' object has no attribute '{name}'", name=name, obj=obj)
