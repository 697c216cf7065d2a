"""briefing: a versioned question-and-answer store for news explainers."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

__version__ = "0.1.0"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app from BRIEFING_* settings, then any test overrides."""
    from service import api, cli, config, logs, store

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config.from_env(os.environ))
    app.config.update(test_config or {})
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = _default_database_url(app.instance_path)
    logs.init_app(app)
    store.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    return app


def _default_database_url(instance_path: str) -> str:
    """Make the instance folder and return the URL of the SQLite file in it.

    Only the default database needs the folder: an installed package's instance
    folder lies under sys.prefix, which a service user may not be able to write.
    """
    from service.config import ConfigError

    try:
        os.makedirs(instance_path, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create the instance folder {instance_path} for the default"
            f" SQLite database ({exc.strerror}); set BRIEFING_DATABASE_URL"
        ) from None
    return "sqlite:///" + os.path.join(instance_path, "briefing.sqlite3")
