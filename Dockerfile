# briefing: the JSON API under gunicorn. Build: docker build -t briefing .
# Every step here is replayed without Docker by deploy/replay_image.py in CI.

FROM python:3.11.7-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY service ./service
# Wheels only: nothing compiles, so no compiler is needed in either stage.
RUN python -m venv /opt/venv \
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
COPY deploy/entrypoint.sh /app/entrypoint.sh
USER 10001
WORKDIR /app
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["--bind", "0.0.0.0:8000"]
