#!/usr/bin/env bash
# teardown.sh - stop the private dockerd that setup.sh started, by the PID it recorded (never by name):
# remove containers first (dockerd otherwise waits ~10 s per container), SIGTERM, SIGKILL after 30 s,
# unmount leftovers under the state dir, delete docker0 if we created it, restore ip_forward, and
# delete the state dir (KEEP_DATA=1 keeps it: images survive until the next setup.sh).
set -uo pipefail
DIR=${DOCKER_ENGINE_DIR:-/tmp/dockerfile-coach-docker}
SOCK=$DIR/docker.sock
PIDFILE=$DIR/dockerd.pid
say() { printf '[docker-engine] %s\n' "$*" >&2; }

pid=$(cat "$PIDFILE" 2>/dev/null || cat "$DIR/dockerd.started-pid" 2>/dev/null || true)
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
  ids=$(/usr/bin/docker -H "unix://$SOCK" ps -aq 2>/dev/null || true)
  [ -z "$ids" ] || /usr/bin/docker -H "unix://$SOCK" rm -f $ids >/dev/null 2>&1 || true
  children=$(pgrep -P "$pid" || true)   # its containerd and docker-proxy
  kill -TERM "$pid"
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then say "dockerd $pid still alive, SIGKILL"; kill -KILL "$pid"; fi
  for c in $children; do kill -0 "$c" 2>/dev/null && kill -TERM "$c" 2>/dev/null; done
  say "dockerd $pid stopped"
else
  say "no running dockerd recorded in $DIR"
fi

# leftover mounts (netns, overlay) under the state dir, deepest first
awk -v d="$DIR" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
if [ "$(cat "$DIR/docker0.preexisting" 2>/dev/null || echo 1)" = 0 ]; then ip link del docker0 2>/dev/null || true; fi
[ -f "$DIR/ip_forward.orig" ] && cat "$DIR/ip_forward.orig" >/proc/sys/net/ipv4/ip_forward
if [ "${KEEP_DATA:-0}" != 1 ]; then rm -rf "$DIR"; say "removed $DIR"; fi
exit 0
