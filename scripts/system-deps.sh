#!/usr/bin/env bash
# Install the system packages the platform needs, when missing (Debian/Ubuntu, as root).
#   scripts/system-deps.sh run    -> what `make run` needs (gettext for the translations)
#   scripts/system-deps.sh test   -> plus PostgreSQL, Redis, Chromium, a Chinese font, nginx
#                                    (the two-node drill runs its own nginx as a child process)
#                                    ffmpeg (the demo lessons' video; left out without it),
#                                    npm and java (axe-core and the Nu HTML checker, installed by
#                                    `npm ci` in make test, check the signed-in lesson pages)
set -euo pipefail
want=()
command -v msgfmt >/dev/null 2>&1 || want+=(gettext)
if [ "${1:-run}" = "test" ]; then
  command -v pg_ctlcluster >/dev/null 2>&1 || pg_isready -h 127.0.0.1 -q 2>/dev/null || want+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || want+=(redis-server)
  [ -x /usr/bin/chromium ] || want+=(chromium)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || want+=(nginx)
  fc-list :lang=zh 2>/dev/null | grep -q . || want+=(fonts-wqy-microhei)
  command -v ffmpeg >/dev/null 2>&1 || want+=(ffmpeg)
  command -v npm >/dev/null 2>&1 || want+=(npm)
  command -v java >/dev/null 2>&1 || want+=(openjdk-17-jre-headless)
fi
[ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${want[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${want[@]}" >/dev/null
else
  echo "Please install these system packages first: ${want[*]}" >&2
  exit 1
fi
