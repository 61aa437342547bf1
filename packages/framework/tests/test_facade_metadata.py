from importlib.metadata import version

import tomodachi


def test_version_is_the_distribution_version() -> None:
    assert tomodachi.__version__ == version("tomodachi")


def test_version_info_is_the_version_as_a_tuple() -> None:
    assert tomodachi.__version_info__ == tuple(int(part) for part in tomodachi.__version__.split("."))


def test_version_info_keeps_a_pre_release_suffix_as_a_string() -> None:
    assert tomodachi._version_info("0.31.0rc1") == (0, 31, 0, "rc1")
    assert tomodachi._version_info("1.0.0.dev2") == (1, 0, 0, "dev2")


def test_build_time_author_and_email_are_strings() -> None:
    assert isinstance(tomodachi.__build_time__, str)
    assert isinstance(tomodachi.__author__, str)
    assert tomodachi.__author__
    assert isinstance(tomodachi.__email__, str)
