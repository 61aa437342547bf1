import pytest

from tomodachi.options import Options, WatcherOptions


def test_watcher_lists_default_to_new_empty_lists() -> None:
    first, second = WatcherOptions(), WatcherOptions()
    assert first.ignored_dirs == []
    assert first.watched_file_endings == []
    assert first.ignored_dirs is not second.ignored_dirs


def test_watcher_keeps_the_given_lists() -> None:
    watcher = Options.Watcher(ignored_dirs=["node_modules"], watched_file_endings=[".toml"])
    assert watcher.ignored_dirs == ["node_modules"]
    assert watcher.watched_file_endings == [".toml"]


def test_watcher_is_the_watcher_section() -> None:
    assert repr(WatcherOptions()) == (
        '∴ watcher <class: "WatcherOptions" -- prefix: "watcher">:\n'
        "  | ignored_dirs = []\n"
        "  | watched_file_endings = []\n"
    )


def test_watcher_refuses_unknown_keys() -> None:
    with pytest.raises(AttributeError, match=r"^'Watcher' object has no attribute 'ignored'$"):
        Options.Watcher(ignored=["x"])
