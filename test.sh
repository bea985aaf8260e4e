#!/usr/bin/env bash
# Runs the whole test suite on a machine with the .NET SDK and Node.js. What the tests need beyond those is
# set up first: Debian packages are installed when this runs as root with apt-get; otherwise it stops before any
# test with one line naming what to install. Arguments go to `dotnet test` (for example --filter).
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "test.sh: $*" >&2; exit 2; }

command -v dotnet >/dev/null || fail "the .NET 10 SDK is missing: install it from https://dotnet.microsoft.com/download"
command -v node >/dev/null && command -v npm >/dev/null ||
  fail "Node.js with npm is missing: install it (Debian: apt-get install nodejs npm)"

# Debian packages, each with a command that tells whether it is there. PostgreSQL's server binaries are not
# on PATH, so initdb is looked for where Debian puts it.
packages=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null || packages+=(postgresql)
command -v docker-compose >/dev/null || packages+=(docker-compose)
command -v ip >/dev/null || packages+=(iproute2)
command -v iptables >/dev/null || packages+=(iptables)
command -v python3 >/dev/null || packages+=(python3)

if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing ${packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    fail "missing ${packages[*]}: install with 'sudo apt-get install --no-install-recommends ${packages[*]}' (or run this as root)"
  fi
fi

# The partition tests make network namespaces and firewall rules, which only root may do.
[ "$(id -u)" -eq 0 ] || fail "the partition tests create network namespaces and iptables rules: run as root (sudo ./test.sh)"

# reqlite and the official JavaScript driver, pinned by tools/reqlite/package-lock.json.
if ! (cd tools/reqlite && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  fail "npm ci in tools/reqlite failed (see npm's output above); the tests need reqlite from the npm registry"
fi

exec dotnet test ActorBackup.sln "$@"
