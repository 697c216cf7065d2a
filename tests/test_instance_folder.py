"""The instance folder: made only for the default SQLite file, and a clear error when it cannot be."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from flask import Flask

from service import cli, create_app
from service.config import ConfigError


@pytest.fixture
def unwritable_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point Flask's instance folder below a regular file, which no user (root included) can create."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    instance = blocker / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(instance))
    return instance


def test_database_url_given_needs_no_instance_folder(
    unwritable_instance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'given.sqlite3'}"
    monkeypatch.setenv("BRIEFING_DATABASE_URL", url)
    app = create_app()
    assert app.config["DATABASE_URL"] == url
    assert app.instance_path == str(unwritable_instance)
    assert not unwritable_instance.exists()


def test_default_database_is_made_in_the_instance_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(instance))
    app = create_app()
    assert instance.is_dir()
    assert app.config["DATABASE_URL"] == f"sqlite:///{instance / 'briefing.sqlite3'}"


def test_unwritable_instance_folder_is_one_clear_error(
    unwritable_instance: Path,
) -> None:
    with pytest.raises(ConfigError) as caught:
        create_app()
    message = str(caught.value)
    assert str(unwritable_instance) in message
    assert "BRIEFING_DATABASE_URL" in message
    assert "\n" not in message


def test_command_line_says_it_in_one_line(
    unwritable_instance: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "argv", ["briefing", "db", "upgrade"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("briefing: cannot create the instance folder")
    assert err.count("\n") == 1
    assert "Traceback" not in err
