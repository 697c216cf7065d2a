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
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(
            app.instance_path, "briefing.sqlite3"
        )
    logs.init_app(app)
    store.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    return app
