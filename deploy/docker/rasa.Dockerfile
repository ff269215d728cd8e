# Rasa 3.6 (Python 3.10) with the trained model. Train first (`make bot`), then build from the root:
#   docker build -f deploy/docker/rasa.Dockerfile -t registry.example.org/goc/rasa:TAG .
# The model file is copied in, so a new model means a new image and a rolling restart.
FROM python:3.10-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 RASA_TELEMETRY_ENABLED=false \
    PYTHONPATH=/app/bot
WORKDIR /app/bot
COPY bot/requirements-rasa.lock.txt ./
RUN pip install --no-deps -r requirements-rasa.lock.txt
COPY bot/config.yml bot/credentials.yml bot/endpoints.yml bot/endpoints-shared.yml bot/rasa_launcher.py ./
COPY bot/components components
COPY bot/rasa_ext rasa_ext
COPY bot/domain domain
COPY bot/models/current.tar.gz models/current.tar.gz
RUN useradd --uid 10001 --no-create-home rasa && mkdir -p /app/instance && chown rasa /app/instance
USER 10001
EXPOSE 5005
# shared state on PostgreSQL + Redis from DATABASE_URL and REDIS_URL, as bot/serve.sh does
CMD ["/bin/sh", "-c", "eval \"$(python -m rasa_ext.shared_state)\" && exec python rasa_launcher.py run --model models/current.tar.gz --credentials credentials.yml --endpoints endpoints-shared.yml -i 0.0.0.0 -p 5005 --quiet"]
