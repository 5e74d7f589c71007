#!/bin/bash
# Lighthouse (npm `lighthouse`, Debian's Chromium, mobile preset) on the production build:
# DEBUG=false, collectstatic (WhiteNoise: hashed, compressed), gunicorn on 127.0.0.1:8124, the
# demo student signed in by a session cookie. Scratch database advocate_lighthouse; prints
# "page url performance accessibility best-practices" and keeps the JSON under var/lighthouse/.
# Run by `make lighthouse` (and at the end of `make bench`). Needs node/npm, PostgreSQL, Redis.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=var/lighthouse
mkdir -p "$OUT"
LH="$OUT/node_modules/.bin/lighthouse"
[ -x "$LH" ] || npm install --prefix "$OUT" --no-audit --no-fund --silent lighthouse@12
PG=${LIGHTHOUSE_PG:-postgres://postgres@127.0.0.1:5432}
export DATABASE_URL="$PG/advocate_lighthouse" REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/11}
# Production settings, served over plain http on loopback for the measurement only.
export DEBUG=false SECRET_KEY="lighthouse-$(head -c 24 /dev/urandom | base64 | tr -dc a-zA-Z0-9)"
export SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 SECURE_COOKIES=false
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS advocate_lighthouse" -c "CREATE DATABASE advocate_lighthouse" >/dev/null
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py collectstatic --noinput >/dev/null
.venv/bin/python manage.py seed_demo >/dev/null
.venv/bin/python manage.py refresh_nudges >/dev/null 2>&1
read -r SESSION CONTACT < <(.venv/bin/python manage.py shell -c "
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
student = get_user_model().objects.filter(role='student').first()
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(student.pk)
store[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
store[HASH_SESSION_KEY] = student.get_session_auth_hash()
store.create()
print(store.session_key, student.contacts.first().pk)
" | tail -1)
.venv/bin/gunicorn crm.wsgi -b 127.0.0.1:8124 -w 2 --daemon --pid "$OUT/gunicorn.pid"
trap 'kill "$(cat "$OUT/gunicorn.pid")"' EXIT
sleep 3
for page in "login:/accounts/login/" "home:/" "contact:/contacts/$CONTACT/" "letters:/letters/" \
            "settings:/settings/" "map:/map/"; do
  name=${page%%:*}; path=${page#*:}
  headers='{}'; [ "$name" != login ] && headers="{\"Cookie\": \"sessionid=$SESSION\"}"
  CHROME_PATH=${CHROMIUM_PATH:-/usr/bin/chromium} "$LH" "http://127.0.0.1:8124$path" --quiet \
    --output=json --output-path="$OUT/$name.json" --extra-headers="$headers" \
    --only-categories=performance,accessibility,best-practices \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" >/dev/null 2>&1
  node -e "const r=require('./$OUT/$name.json'), c=r.categories, s=k=>Math.round(c[k].score*100);
    console.log('$name', r.finalDisplayedUrl, s('performance'), s('accessibility'), s('best-practices'))"
done
