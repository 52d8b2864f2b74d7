"""The one path context keeps platformdirs' own rules on Linux, macOS and Windows."""

import pytest

from eng28 import paths


@pytest.fixture
def plain_home(monkeypatch, tmp_path):
    monkeypatch.delenv("ENG28_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def ours(kind):
    return {"config": paths.config_dir, "data": paths.data_dir, "cache": paths.cache_dir}[kind]()


def theirs(dirs, kind):
    return {
        "config": dirs.user_config_dir,
        "data": dirs.user_data_dir,
        "cache": dirs.user_cache_dir,
    }[kind]


XDG = [
    {},
    {"XDG_CONFIG_HOME": "/xdg/config", "XDG_DATA_HOME": "/xdg/data", "XDG_CACHE_HOME": "/xdg/c"},
    {"XDG_CONFIG_HOME": "relative/ignored", "XDG_CACHE_HOME": ""},
]


@pytest.mark.parametrize("platform", ["linux", "darwin"])
@pytest.mark.parametrize("xdg", XDG)
@pytest.mark.parametrize("kind", ["config", "data", "cache"])
def test_linux_and_macos_match_platformdirs_xdg_included(
    plain_home, monkeypatch, platform, xdg, kind
):
    from platformdirs.macos import MacOS
    from platformdirs.unix import Unix

    monkeypatch.setattr("sys.platform", platform)
    for var, value in xdg.items():
        monkeypatch.setenv(var, value)
    dirs = (MacOS if platform == "darwin" else Unix)("eng28")
    assert ours(kind) == theirs(dirs, kind)
    if platform == "darwin" and not xdg:
        assert "Library" in ours(kind)


@pytest.mark.parametrize("kind", ["config", "data", "cache"])
def test_windows_matches_platformdirs(plain_home, monkeypatch, kind):
    from platformdirs import windows

    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(plain_home / "AppData" / "Local"))
    monkeypatch.setattr(windows, "_RESOLVE_WIN_FOLDER", windows.get_win_folder_from_env_vars)
    assert ours(kind) == theirs(windows.Windows("eng28"), kind)


def test_eng28_home_puts_everything_in_one_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("ENG28_HOME", str(tmp_path / "one"))
    monkeypatch.setenv("XDG_CONFIG_HOME", "/elsewhere")
    assert {paths.config_dir(), paths.data_dir(), paths.cache_dir()} == {str(tmp_path / "one")}


def test_the_prompt_reads_the_file_the_cli_writes_with_xdg_set(
    plain_home, monkeypatch, tmp_path, run
):
    """On macOS with XDG_CACHE_HOME set the prompt once read another file than the CLI wrote."""
    monkeypatch.setattr("sys.platform", "darwin")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert run("start", "2026-12-01").exit_code == 0
    assert run("config", "pace", "self").exit_code == 0
    assert (tmp_path / "cfg" / "eng28" / "config.toml").is_file()
    assert (tmp_path / "cache" / "eng28" / "prompt.cache").is_file()
    from eng28 import views

    assert views.read()[0] == "D01 AI"
