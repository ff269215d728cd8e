# The portal and the action server (one image: both run from .venv's requirements.txt).
# Build from the repository root (images cannot be built on the project's own machines):
#   docker build -f deploy/docker/portal.Dockerfile -t registry.example.org/goc/portal:TAG .
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 FLASK_APP=wsgi:app PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY wsgi.py babel.cfg alembic.ini ./
COPY portal portal
COPY knowledge knowledge
COPY migrations migrations
COPY translations translations
COPY static static
COPY bot/actions bot/actions
COPY bot/lexicon bot/lexicon
RUN pybabel compile -d translations -f -q && useradd --uid 10001 --no-create-home app \
    && mkdir -p /app/instance && chown app /app/instance
USER 10001
EXPOSE 5000 5055
CMD ["gunicorn", "-c", "python:portal.gunicorn_hooks", "--bind", "0.0.0.0:5000", "--workers", "2", "--threads", "4", "--graceful-timeout", "10", "wsgi:app"]
