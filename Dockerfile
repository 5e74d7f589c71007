# One image for web, worker and beat (docker-compose.yml builds it once and runs it three ways).
# An exact Python and Debian release, so a rebuild gets the same base (pin a digest too, where
# a registry is reachable: docker buildx imagetools inspect python:3.11.14-slim-bookworm).
FROM python:3.11.14-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Exactly the lock, every file's hash checked (make lock / make upgrade refresh it); then the
# app itself, adding nothing.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY crm crm
COPY contacts contacts
COPY inbound inbound
COPY reminders reminders
COPY advisors advisors
COPY pages pages
RUN pip install --no-cache-dir --no-deps .
COPY . .
RUN DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
RUN useradd --create-home advocate
USER advocate
EXPOSE 8000
# Workers, timeout and the rest come from the environment (gunicorn.conf.py):
# WEB_CONCURRENCY (2), GUNICORN_TIMEOUT (30), GUNICORN_BIND (0.0.0.0:8000).
CMD ["gunicorn", "crm.wsgi", "--config", "gunicorn.conf.py"]
