#!/usr/bin/env bash
# The production stack on one machine: gunicorn, a Celery worker and Celery beat.
# Needs DATABASE_URL, CELERY_BROKER_URL, CACHE_URL, SECRET_KEY and SITE_URL (see .env.example).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && set -a && . ./.env && set +a
export DJANGO_SETTINGS_MODULE=incubator.settings.production
: "${SECRET_KEY:?set SECRET_KEY}" "${DATABASE_URL:?set DATABASE_URL}" "${CELERY_BROKER_URL:?set CELERY_BROKER_URL}" "${CACHE_URL:?set CACHE_URL}" "${SITE_URL:?set SITE_URL}"
PY=.venv/bin/python
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput -v 0
$PY manage.py compilemessages -v 0 -i .venv -i node_modules
.venv/bin/celery -A incubator worker --loglevel=INFO --concurrency="${CELERY_CONCURRENCY:-2}" &
WORKER=$!
.venv/bin/celery -A incubator beat --loglevel=INFO --schedule=/tmp/incubator-celerybeat-schedule &
BEAT=$!
trap 'kill $WORKER $BEAT 2>/dev/null' EXIT
exec .venv/bin/gunicorn incubator.wsgi:application --config gunicorn.conf.py --bind "${BIND:-127.0.0.1:8000}" \
  --workers "${WEB_CONCURRENCY:-3}" --access-logfile - --timeout 60
