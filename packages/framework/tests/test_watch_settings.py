"""Which file changes restart the services in development mode (``WatchSettings``, ``watch_roots``)."""

import os
from pathlib import Path

import pytest

import tomodachi
from tomodachi._watcher import IGNORED_DIRS, WATCHED_ENDINGS, WatchSettings, watch_roots


def path(*parts: str) -> str:
    return os.sep + os.path.join("work", "app", *parts)


@pytest.mark.parametrize(
    "name", ["service.py", "types.pyi", "config.json", "deploy.yml", "page.html", "x.phtml"]
)
def test_default_endings_are_watched(name: str) -> None:
    assert WatchSettings().watches(path(name))


@pytest.mark.parametrize("name", ["notes.txt", "image.png", "service.pyc", "deploy.yaml"])
def test_other_endings_are_not_watched(name: str) -> None:
    assert not WatchSettings().watches(path(name))


@pytest.mark.parametrize("folder", sorted(IGNORED_DIRS))
def test_default_ignored_folders_are_not_watched(folder: str) -> None:
    assert not WatchSettings().watches(path(folder, "service.py"))


def test_hidden_folders_are_not_watched() -> None:
    assert not WatchSettings().watches(path(".venv", "lib", "module.py"))


def test_a_hidden_file_itself_is_judged_by_its_ending() -> None:
    assert WatchSettings().watches(path(".hidden.py"))


def test_added_folders_and_endings_extend_the_defaults() -> None:
    settings = WatchSettings(ignored_dirs=["node_modules"], endings=[".toml"])

    assert not settings.watches(path("node_modules", "lib.py"))
    assert settings.watches(path("pyproject.toml"))
    assert settings.watches(path("service.py"))
    assert settings.endings[: len(WATCHED_ENDINGS)] == WATCHED_ENDINGS


def test_add_keeps_each_ending_once() -> None:
    settings = WatchSettings()

    settings.add(["build"], [".toml", ".py"])
    settings.add([], [".toml"])

    assert settings.endings.count(".toml") == 1
    assert settings.endings.count(".py") == 1
    assert "build" in settings.ignored_dirs


def test_service_watcher_options_are_added() -> None:
    class Web(tomodachi.Service):
        options = tomodachi.Options(watcher={"ignored_dirs": ["static"], "watched_file_endings": [".css"]})

    settings = WatchSettings()
    settings.add_from_service(Web())

    assert not settings.watches(path("static", "service.py"))
    assert settings.watches(path("style.css"))


def test_service_without_options_adds_nothing() -> None:
    settings = WatchSettings()

    settings.add_from_service(object())

    assert settings.ignored_dirs == IGNORED_DIRS
    assert settings.endings == WATCHED_ENDINGS


def test_config_watcher_section_is_added() -> None:
    settings = WatchSettings()

    settings.add_from_config(
        {"options": {"watcher": {"ignored_dirs": ["tmp_data"], "watched_file_endings": [".ini"]}}}
    )

    assert not settings.watches(path("tmp_data", "service.py"))
    assert settings.watches(path("setup.ini"))


def test_config_dotted_watcher_keys_are_added() -> None:
    settings = WatchSettings()

    settings.add_from_config(
        {"options": {"watcher.ignored_dirs": ["generated"], "watcher.watched_file_endings": [".sql"]}}
    )

    assert not settings.watches(path("generated", "service.py"))
    assert settings.watches(path("schema.sql"))


def test_config_without_options_adds_nothing() -> None:
    settings = WatchSettings()

    settings.add_from_config({"region": "eu-north-1"})

    assert settings.endings == WATCHED_ENDINGS


def test_roots_are_the_current_directory_and_the_folders_of_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    project = tmp_path / "project"
    (project / "services").mkdir(parents=True)
    monkeypatch.chdir(project)
    monkeypatch.delenv("PYTHONPATH", raising=False)

    roots = watch_roots(["services/orders.py", str(other / "billing.py")])

    assert roots == sorted([os.path.realpath(project), os.path.realpath(other)])


def test_pythonpath_folders_are_roots_when_they_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "library"
    library.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(library), str(tmp_path / "missing")]))

    roots = watch_roots(["service.py"])

    assert roots == sorted([os.path.realpath(project), str(library)])


def test_root_inside_another_root_is_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    (tmp_path / "deep" / "deeper").mkdir(parents=True)

    roots = watch_roots(["deep/deeper/service.py", "deep/other.py"])

    assert roots == [os.path.realpath(tmp_path)]
