#!/usr/bin/env bash
# setup.sh - install (if missing) and start a PRIVATE Docker engine for the tests: Debian's docker.io
# (dockerd 20.10 + containerd + runc) with its own data-root, exec-root, pidfile and socket, then make
# the course's base images locally with standins.sh (no registry is reachable in CI).
#
# Usage (as root):  eval "$(bash scripts/docker-engine/setup.sh)"   # stdout = only the export lines
#             or:   bash scripts/docker-engine/setup.sh && . "$DOCKER_ENGINE_DIR/env"
# Stop with:        bash scripts/docker-engine/teardown.sh         # by the PID in $DOCKER_ENGINE_DIR
#
# Environment:
#   DOCKER_ENGINE_DIR      state: data-root, exec-root, socket, pidfile, log (/tmp/dockerfile-coach-docker)
#   DOCKER_ENGINE_STORAGE  overlay2|vfs; default: overlay2, falling back to vfs
#   STANDINS=0             start the engine only, make no base images
#   DOCKER_ENGINE_FRESH=1  ignore a data-root kept by `KEEP_DATA=1 teardown.sh` (images, build cache)
# Progress goes to stderr. Nothing here touches /var/run/docker.sock, /var/lib/docker or the firewall.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
DIR=${DOCKER_ENGINE_DIR:-/tmp/dockerfile-coach-docker}
SOCK=$DIR/docker.sock
PIDFILE=$DIR/dockerd.pid
LOG=$DIR/dockerd.log
# Debian's 20.10 client matches the daemon and prints no legacy-builder deprecation banner.
DOCKER=/usr/bin/docker

say() { printf '[docker-engine] %s\n' "$*" >&2; }
t0=$(date +%s)

[ "$(id -u)" = 0 ] || { say "must run as root (dockerd needs it)"; exit 1; }
mkdir -p "$DIR"

# ---- 1. packages: busybox-static is copied into images; debootstrap makes the Debian-based ones
need=()
command -v dockerd >/dev/null && [ -x "$DOCKER" ] || need+=(docker.io)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' || need+=(busybox-static)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]} from the Debian mirror"
  export DEBIAN_FRONTEND=noninteractive
  # a fresh machine may have no package lists yet
  pol=$(apt-cache policy docker.io 2>/dev/null || true)
  [[ $pol == *"Candidate: "[0-9]* ]] || apt-get -o DPkg::Lock::Timeout=600 update >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}" >&2
fi

# ---- 2. dockerd
d() { "$DOCKER" -H "unix://$SOCK" "$@"; }

# No NAT and no firewall changes: `-p 127.0.0.1:...` still works through docker-proxy; a build step
# that needs the network gets `docker build --network host`.
NETFLAGS=(--iptables=false --ip-masq=false --ip-forward=false)
# Our own config file: ignores /etc/docker/daemon.json and keeps the trust key out of /etc/docker.
printf '{ "deprecated-key-path": "%s" }\n' "$DIR/key.json" >"$DIR/daemon.json"

start_dockerd() {  # $@ = extra dockerd flags; 0 once the API answers
  rm -f "$PIDFILE"
  # setsid + nohup: dockerd outlives this script and the caller's process group
  setsid nohup dockerd --config-file "$DIR/daemon.json" \
    --host "unix://$SOCK" --pidfile "$PIDFILE" \
    --data-root "$DIR/data" --exec-root "$DIR/exec" \
    --exec-opt native.cgroupdriver=cgroupfs \
    "${NETFLAGS[@]}" "$@" >>"$LOG" 2>&1 </dev/null &
  local pid=$! i
  for i in $(seq 1 300); do   # up to 30 s
    if d version >/dev/null 2>&1; then cp "$PIDFILE" "$DIR/dockerd.started-pid"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; } || { [ "$i" -gt 20 ] && break; }
    sleep 0.1
  done
  say "dockerd $* did not come up; log tail:"; tail -n 15 "$LOG" >&2
  [ -s "$PIDFILE" ] && pid=$(cat "$PIDFILE")
  kill "$pid" 2>/dev/null || true; sleep 1
  return 1
}

if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && d version >/dev/null 2>&1; then
  say "dockerd already running (pid $(cat "$PIDFILE"))"
else
  # what teardown restores
  ip link show docker0 >/dev/null 2>&1 && echo 1 >"$DIR/docker0.preexisting" || echo 0 >"$DIR/docker0.preexisting"
  cat /proc/sys/net/ipv4/ip_forward >"$DIR/ip_forward.orig"
  ts=$(date +%s.%N)
  # A data-root kept from an earlier run (teardown with KEEP_DATA=1) keeps images and build cache;
  # DOCKER_ENGINE_FRESH=1 starts from nothing. If dockerd cannot start on what was kept, it is wiped.
  [ "${DOCKER_ENGINE_FRESH:-0}" = 1 ] && rm -rf "$DIR/data" "$DIR/exec"
  ok=0
  for attempt in kept fresh; do
    for drv in ${DOCKER_ENGINE_STORAGE:-overlay2 vfs}; do
      if start_dockerd --storage-driver "$drv"; then ok=1; break 2; fi
    done
    [ -d "$DIR/data" ] || break
    say "dockerd did not start on the kept data-root; starting from nothing"
    rm -rf "$DIR/data" "$DIR/exec"
  done
  [ $ok = 1 ] || { say "FAILED to start dockerd, see $LOG"; exit 1; }
  # build cache and test images older than a week go (the legacy builder's cache is dangling images)
  d image prune -f --filter until=168h >/dev/null 2>&1 || true
  say "dockerd pid $(cat "$PIDFILE") ready in $(awk "BEGIN{printf \"%.2f\", $(date +%s.%N)-$ts}") s (storage: $(d info -f '{{.Driver}}'))"
fi

cat >"$DIR/env" <<EOF
export DOCKER_HOST=unix://$SOCK
export DOCKER_ENGINE_DIR=$DIR
EOF

# ---- 3. the course's base images, made locally
if [ "${STANDINS:-1}" != 0 ]; then
  DOCKER_HOST=unix://$SOCK DOCKER=$DOCKER bash "$here/standins.sh" >&2
fi
say "ready after $(( $(date +%s) - t0 )) s"
cat "$DIR/env"
