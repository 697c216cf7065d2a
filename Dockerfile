# briefing: the JSON API under gunicorn. Build: docker build -t briefing .
# `make image-check` builds it with a real Docker engine and runs it (tests/test_image.py).

FROM python:3.11.7-slim-bookworm AS build
# Where pip finds packages, when not PyPI itself: set per build, never stored here.
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_TRUSTED_HOST
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY service ./service
# Wheels only: nothing compiles, so no compiler is needed in either stage.
# python3, not python: the same on the official image and on a Debian-built base.
RUN python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install --only-binary=:all: --constraint constraints.txt .

FROM python:3.11.7-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    BRIEFING_DATABASE_URL=sqlite:////data/briefing.sqlite3 \
    BRIEFING_SEEDS_DIR=/app/seeds
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin briefing \
    && mkdir -p /data \
    && chown briefing /data
COPY --from=build /opt/venv /opt/venv
COPY seeds /app/seeds
COPY deploy/entrypoint.sh deploy/healthcheck.py /app/
USER 10001
WORKDIR /app
VOLUME ["/data"]
EXPOSE 8000
# GET /healthz on the port gunicorn actually listens on, whatever --bind it got.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "/app/healthcheck.py"]
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["--bind", "0.0.0.0:8000"]
