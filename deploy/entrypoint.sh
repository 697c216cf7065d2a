#!/bin/sh
# The image's entry point: migrate, load the seeds (idempotent), then become gunicorn.
# Arguments go to gunicorn (the image's CMD is `--bind 0.0.0.0:8000`).
set -eu
briefing db upgrade
if [ -n "${BRIEFING_SEEDS_DIR:-}" ]; then
    briefing ingest
fi
exec gunicorn -c python:service.gunicorn_conf "$@" "service:create_app()"
