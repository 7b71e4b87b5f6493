#!/usr/bin/env bash
# docker.sh - the private Docker engine the docker tests (test/docker) run against in CI.
#
# In .ci/run (bash, as root):
#   . scripts/ci/docker.sh
#   trap coach_docker_stop EXIT      # first: a start that fails half-way is cleaned up too
#   coach_docker_start               # apt-get installs what is missing, starts dockerd, makes the
#                                    # course's base images, exports DOCKER_HOST
#   npm test
#
# As a command:  eval "$(bash scripts/ci/docker.sh start)"  (prints only the export lines)
#                bash scripts/ci/docker.sh stop
#
# dockerd gets its own data-root, exec-root, pidfile and socket under $DOCKER_ENGINE_DIR
# (/tmp/dockerfile-coach-docker), no firewall changes, and is stopped by the PID it wrote, never by name.
# DOCKER_ENGINE_FRESH=1 coach_docker_start ignores the data-root an earlier run kept.
# Base-image rootfs tarballs are cached in ${XDG_CACHE_HOME:-$HOME/.cache}/dockerfile-coach/.

COACH_DOCKER_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")/../docker-engine" && pwd)
export DOCKER_ENGINE_DIR=${DOCKER_ENGINE_DIR:-/tmp/dockerfile-coach-docker}

coach_docker_start() {
  local exports
  exports=$(bash "$COACH_DOCKER_SCRIPTS/setup.sh") || return 1
  eval "$exports"
  export DOCKER_HOST
  printf '[docker-engine] DOCKER_HOST=%s\n' "$DOCKER_HOST" >&2
}

# Stops dockerd by its PID. Its data-root (images, build cache) is kept for the next run on this
# machine: deleting it costs about a minute here (many small files). COACH_DOCKER_KEEP_DATA=0 deletes it.
coach_docker_stop() {
  KEEP_DATA=${COACH_DOCKER_KEEP_DATA:-1} bash "$COACH_DOCKER_SCRIPTS/teardown.sh" || true
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start) bash "$COACH_DOCKER_SCRIPTS/setup.sh" ;;
    stop) coach_docker_stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
  esac
fi
