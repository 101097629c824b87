#!/usr/bin/env bash
# Keep a command running: start it again 2 seconds after it stops, until this script is stopped
# (INT/TERM stop the command too). `make run` keeps the task worker alive with it:
#   scripts/run-worker.sh .venv/bin/python manage.py worker --no-startup-delay
child=
stop() { [ -n "$child" ] && kill "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0; }
trap stop INT TERM
while true; do
  "$@" &
  child=$!
  wait "$child"
  status=$?
  echo "run-worker: '$*' stopped (exit $status); starting it again in 2 s" >&2
  sleep 2 &
  wait $!
done
