#!/usr/bin/env bash
# standins.sh - make the base images the course's Dockerfiles name, locally (Docker Hub and gcr.io are not
# reachable in CI), and tag them with the course's names. Needs DOCKER_HOST (setup.sh sets it), root,
# busybox-static, debootstrap, and the host's node. Images that already exist are left alone.
#
# What each stand-in lacks compared with the real image (also in test/docker/helpers.ts):
#   alpine:3.17            busybox-static only: no musl, no apk, no /etc/alpine-release.
#   node:18.16.0-alpine3.17, node:lts-alpine
#                          the HOST's node (glibc, whatever version the host has, not 18.16.0 on musl)
#                          with its shared libraries, npm, yarn 1.22.19 from the npm registry, busybox
#                          as /bin/sh, user node (1000), the real docker-entrypoint.sh; no apk, one layer.
#                          It adds the host's CA bundle and NODE_EXTRA_CA_CERTS (see below).
#   golang:1.19, golang:1.19.13-bullseye
#                          both are Debian 12 (bookworm) minbase + Debian's golang-go 1.19.8 + gcc +
#                          libc6-dev: not 1.19.13, and the "bullseye" one is not Debian 11 (its glibc is
#                          2.36); no git, make, pkg-config, one layer. Go is at /usr/lib/go-1.19 (linked
#                          from /usr/local/go), GOPATH=/go, WORKDIR /go as in the real image.
#   gcr.io/distroless/base-debian11:nonroot
#                          Debian 12's libc6 files (so cgo binaries from the builder stand-in run), CA
#                          certificates, passwd/group with root, nobody, nonroot (65532), USER 65532,
#                          WORKDIR /home/nonroot; no libssl, no tzdata, one layer, not Debian 11.
#
# Every stand-in has the label dockerfile-coach.standins=<version of this script>.
#
# Cache (safe to delete; reused between runs on the same machine):
#   ${XDG_CACHE_HOME:-$HOME/.cache}/dockerfile-coach/  debootstrapped rootfs tarballs and the yarn package.
set -euo pipefail

DOCKER=${DOCKER:-/usr/bin/docker}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/dockerfile-coach
# Bump when what goes into a cached tarball changes.
STANDINS_VERSION=1
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
GO_PACKAGES=golang-go,gcc,libc6-dev,ca-certificates,netbase
YARN_VERSION=1.22.19

say() { printf '[standins] %s\n' "$*" >&2; }
d() { "$DOCKER" "$@"; }
# An image counts only if this version of the script made it (a kept data-root may hold older ones).
have() { [ "$(d image inspect -f '{{index .Config.Labels "dockerfile-coach.standins"}}' "$1" 2>/dev/null)" = "$STANDINS_VERSION" ]; }
need() { local t; for t in "$@"; do have "$t" || return 0; done; return 1; }

[ -n "${DOCKER_HOST:-}" ] || { say "DOCKER_HOST is not set"; exit 1; }
mkdir -p "$CACHE"
work=$(mktemp -d /tmp/dockerfile-coach-standins.XXXXXX)
trap 'rm -rf "$work"' EXIT
t0=$(date +%s)

# $1 = rootfs dir or .tar, $2.. = tags; changes (-c) come from the CHANGES array.
import_tags() {
  local src=$1 first=$2; shift 2
  local args=(-c "LABEL dockerfile-coach.standins=$STANDINS_VERSION") c
  for c in "${CHANGES[@]}"; do args+=(-c "$c"); done
  if [ -d "$src" ]; then
    tar --numeric-owner -C "$src" -c . | d import "${args[@]}" - "$first" >/dev/null
  else
    d import "${args[@]}" "$src" "$first" >/dev/null
  fi
  for t in "$@"; do d tag "$first" "$t"; done
  say "imported $first${*:+ (also $*)}"
}

# busybox + applet links + passwd with root, nobody and node (1000)
mk_busybox_rootfs() {
  local r=$1 a
  mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,tmp,root,home/node,proc,sys,dev,var,lib,lib64}
  cp /bin/busybox "$r/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf /bin/busybox "$r/bin/$a"; done
  ln -sf /bin/busybox "$r/usr/bin/env"   # '#!/usr/bin/env node' scripts
  chmod 1777 "$r/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\nnode:x:1000:1000:Linux User,,,:/home/node:/bin/sh\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\nnode:x:1000:node\n' >"$r/etc/group"
  chown 1000:1000 "$r/home/node"
}

PATH_ENV='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

# ---- alpine:3.17 -------------------------------------------------------------------------------
if need alpine:3.17; then
  mk_busybox_rootfs "$work/busybox"
  CHANGES=("$PATH_ENV" 'CMD ["/bin/sh"]')
  import_tags "$work/busybox" alpine:3.17
fi

# ---- node:*-alpine -----------------------------------------------------------------------------
if need node:18.16.0-alpine3.17 node:lts-alpine; then
  nodebin=$(readlink -f "$(command -v node)")
  yarn_tgz=$CACHE/yarn-$YARN_VERSION.tgz
  if [ ! -s "$yarn_tgz" ]; then
    (cd "$work" && npm pack --silent "yarn@$YARN_VERSION" >/dev/null)
    mv "$work/yarn-$YARN_VERSION.tgz" "$yarn_tgz"
  fi
  r=$work/node
  mk_busybox_rootfs "$r"
  mkdir -p "$r/lib/x86_64-linux-gnu" "$r/usr/local/lib/node_modules" "$r/opt/yarn-v$YARN_VERSION"
  cp "$nodebin" "$r/usr/local/bin/node"
  for l in $(ldd "$nodebin" | grep -o '/[^ ]*'); do cp -L "$l" "$r/lib/x86_64-linux-gnu/"; done
  ln -sf /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$r/lib64/ld-linux-x86-64.so.2"
  npmdir=$(dirname "$nodebin")/../lib/node_modules/npm
  if [ -d "$npmdir" ]; then
    cp -a "$npmdir" "$r/usr/local/lib/node_modules/npm"
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$r/usr/local/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$r/usr/local/bin/npx"
  fi
  # where the real image puts yarn
  tar -xzf "$yarn_tgz" -C "$r/opt/yarn-v$YARN_VERSION" --strip-components=1
  ln -sf /opt/yarn-v$YARN_VERSION/bin/yarn "$r/usr/local/bin/yarn"
  ln -sf /opt/yarn-v$YARN_VERSION/bin/yarnpkg "$r/usr/local/bin/yarnpkg"
  # the real image's entrypoint: runs `node ARGS` when the first argument is not a command
  cat >"$r/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e

# Run command with node if the first argument contains a "-" or is not a system command. The last
# part inside the "{}" is a workaround for the following bug in ash/dash:
# https://bugs.debian.org/cgi-bin/bugreport.cgi?bug=874264
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
EOF
  chmod 755 "$r/usr/local/bin/docker-entrypoint.sh"
  # The host's CA bundle: in CI here the npm registry is reached through a TLS-intercepting proxy whose
  # CA only the host trusts. Node reads it only through NODE_EXTRA_CA_CERTS (the real image has neither).
  mkdir -p "$r/etc/ssl/certs"
  cp -L /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/ca-certificates.crt"
  CHANGES=("$PATH_ENV" 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' "ENV NODE_VERSION=$("$nodebin" --version | tr -d v)" "ENV YARN_VERSION=$YARN_VERSION"
           'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["node"]')
  import_tags "$r" node:18.16.0-alpine3.17 node:lts-alpine
fi

# ---- golang:* and distroless: one debootstrap, cached as two rootfs tarballs ----------------------
key=$(printf '%s\n' "$STANDINS_VERSION" "$DEBIAN_SUITE" "$GO_PACKAGES" | sha256sum | cut -c1-12)
go_tar=$CACHE/golang-$DEBIAN_SUITE-$key.tar
dl_tar=$CACHE/distroless-base-$DEBIAN_SUITE-$key.tar
if need golang:1.19 golang:1.19.13-bullseye gcr.io/distroless/base-debian11:nonroot && [ ! -s "$go_tar" ]; then
  say "debootstrap --variant=minbase $DEBIAN_SUITE with $GO_PACKAGES (1-2 min, cached afterwards)"
  r=$work/debian
  debootstrap --variant=minbase --include="$GO_PACKAGES" "$DEBIAN_SUITE" "$r" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* "$r"/usr/share/doc "$r"/usr/share/man "$r"/usr/share/locale
  mkdir -p "$r/go/bin" "$r/go/src"
  ln -sfn /usr/lib/go-1.19 "$r/usr/local/go"
  # written next to the final name and renamed: an interrupted run leaves no half tarball behind
  tar --numeric-owner -C "$r" -cf "$go_tar.part" . && mv "$go_tar.part" "$go_tar"
  rm -rf "$r"
  say "cached $go_tar"
fi
if need gcr.io/distroless/base-debian11:nonroot && [ ! -s "$dl_tar" ]; then
  r=$work/debian
  mkdir -p "$r" && tar -C "$r" -xf "$go_tar"
  # distroless/base: libc6's files, CA certificates, netbase, users; no shell, no package manager.
  dl=$work/distroless
  mkdir -p "$dl"/{etc,tmp,home/nonroot,root}
  # usrmerge: /bin, /sbin, /lib, /lib64 are links into /usr in bookworm; made first so paths resolve
  for l in bin sbin lib lib64; do
    if [ -L "$r/$l" ]; then cp -a "$r/$l" "$dl/$l"; mkdir -p "$dl/$(readlink "$r/$l")"; fi
  done
  chroot "$r" dpkg -L libc6 | while read -r f; do
    if [ -f "$r$f" ] || [ -L "$r$f" ]; then mkdir -p "$dl$(dirname "$f")"; cp -a "$r$f" "$dl$f"; fi
  done
  mkdir -p "$dl/etc/ssl/certs"
  cp -L "$r/etc/ssl/certs/ca-certificates.crt" "$dl/etc/ssl/certs/"
  for f in services protocols nsswitch.conf os-release; do cp -L "$r/etc/$f" "$dl/etc/$f" 2>/dev/null || true; done
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$dl/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n' >"$dl/etc/group"
  chmod 1777 "$dl/tmp"; chmod 700 "$dl/root"; chown 65532:65532 "$dl/home/nonroot"
  tar --numeric-owner -C "$dl" -cf "$dl_tar.part" . && mv "$dl_tar.part" "$dl_tar"
  rm -rf "$r" "$dl"
  say "cached $dl_tar"
fi
if need golang:1.19 golang:1.19.13-bullseye; then
  CHANGES=('ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
           'ENV GOLANG_VERSION=1.19.8' 'ENV GOPATH=/go' 'WORKDIR /go' 'CMD ["bash"]')
  import_tags "$go_tar" golang:1.19.13-bullseye golang:1.19
fi
if need gcr.io/distroless/base-debian11:nonroot; then
  CHANGES=("$PATH_ENV" 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' 'USER 65532' 'WORKDIR /home/nonroot')
  import_tags "$dl_tar" gcr.io/distroless/base-debian11:nonroot
fi

say "done in $(( $(date +%s) - t0 )) s: $(d images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | tr '\n' ';')"
