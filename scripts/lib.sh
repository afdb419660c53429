# Shared helpers for the project's scripts. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# Installs Debian packages that are missing; runs apt-get update once, only when something is needed.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

require_swift() {
  if ! command -v swift >/dev/null 2>&1; then
    [ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
  fi
  command -v swift >/dev/null 2>&1 || {
    echo "Swift 6.x is required (https://www.swift.org/install/linux/). It is not in Debian's archive." >&2
    exit 1
  }
}

# Debian packages the Swift build links against or its tests use: Cairo and libqrencode (the CCairo and CQRencode
# system-library targets), the DejaVu fonts the PDFs embed, and Poppler's tools that read the PDFs back in tests.
install_build_deps() {
  apt_install pkg-config zlib1g-dev libcairo2-dev libqrencode-dev fonts-dejavu-core poppler-utils
}

# Starts a local PostgreSQL server (installing it if needed) and prints a DATABASE_URL for it.
start_postgres() {
  apt_install postgresql postgresql-contrib >&2
  local version
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    pg_createcluster "$version" main >&2
  fi
  local cluster
  cluster="$(pg_lsclusters -h | head -n 1 | awk '{print $1" "$2}')"
  if ! pg_lsclusters -h | head -n 1 | grep -q online; then
    pg_ctlcluster $cluster start >&2
  fi
  local port
  port="$(pg_lsclusters -h | head -n 1 | awk '{print $3}')"
  for _ in $(seq 1 30); do
    su postgres -c "psql -p $port -qAtc 'select 1'" >/dev/null 2>&1 && break
    sleep 1
  done
  su postgres -c "psql -p $port -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  # The test suite runs in parallel and gives every test its own database and pool.
  if [ "$(su postgres -c "psql -p $port -qAtc 'show max_connections'")" -lt 300 ]; then
    su postgres -c "psql -p $port -qc 'ALTER SYSTEM SET max_connections = 300'" >/dev/null
    pg_ctlcluster $cluster restart >&2
    for _ in $(seq 1 30); do
      su postgres -c "psql -p $port -qAtc 'select 1'" >/dev/null 2>&1 && break
      sleep 1
    done
  fi
  echo "postgres://postgres:postgres@127.0.0.1:$port/postgres"
}
