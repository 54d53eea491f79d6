#!/usr/bin/env bash
# Makes this Debian machine ready to run Rebound: PostgreSQL with pgvector,
# a running cluster, and the database and role Rebound connects with.
# Idempotent: when everything is in place it only checks and exits.
#
# Environment (all optional):
#   REBOUND_DB_NAME / REBOUND_DB_USER / REBOUND_DB_PASSWORD  (default rebound/rebound/rebound-local-pw)
#   REBOUND_PG_PORT                                          (default 5432)
set -euo pipefail

DB_NAME="${REBOUND_DB_NAME:-rebound}"
DB_USER="${REBOUND_DB_USER:-rebound}"
# Not a word: Rebound masks secret values wherever they appear in run views and audit text, so a
# password that is an ordinary word (like "rebound") would be masked in every sentence using it.
DB_PASSWORD="${REBOUND_DB_PASSWORD:-rebound-local-pw}"
PG_PORT="${REBOUND_PG_PORT:-5432}"
PGVECTOR_VERSION_WANTED="0.8"

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"
  else die "need root to run: $* (run this script as root, or give this user password-less sudo)"
  fi
}

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -u postgres "$@"
  else die "need to act as the postgres user to run: $* (run as root or with password-less sudo)"
  fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script supports Debian; install $* yourself"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    as_root apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  say "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# --- 1. PostgreSQL server ------------------------------------------------------
pg_major() {
  ls /usr/lib/postgresql 2>/dev/null | grep -E '^[0-9]+$' | sort -n | tail -1
}
if [ -z "$(pg_major)" ] || [ ! -x "/usr/lib/postgresql/$(pg_major)/bin/postgres" ]; then
  apt_install postgresql postgresql-contrib
fi
PG_MAJOR="$(pg_major)"
[ -n "$PG_MAJOR" ] || die "PostgreSQL is not installed and could not be installed"
[ "$PG_MAJOR" -ge 15 ] || die "PostgreSQL $PG_MAJOR found; Rebound needs 15 or newer"
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"

# --- 2. pgvector -----------------------------------------------------------------
vector_installed() {
  local share
  share="$("$PG_BIN/pg_config" --sharedir 2>/dev/null || echo "/usr/share/postgresql/$PG_MAJOR")"
  [ -f "$share/extension/vector.control" ]
}

debian_source_uri() {
  # The URI of the machine's own Debian archive, from deb822 or one-line sources.
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    [ -n "$uri" ] || uri="$(cat /etc/apt/sources.list.d/*.sources | awk '/^URIs:/ && $2 ~ /debian\/?$/ {print $2; exit}')"
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^(https?|file):/) {print $i; exit}}' /etc/apt/sources.list)"
  fi
  printf '%s' "$uri"
}

build_pgvector_from_debian_source() {
  local uri work
  uri="$(debian_source_uri)"
  [ -n "$uri" ] || die "cannot find the Debian archive URI in /etc/apt/sources*; pgvector must be installed by hand"
  apt_install "postgresql-server-dev-$PG_MAJOR" build-essential dpkg-dev
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  mkdir -p "$work/lists/partial"
  # A private sources file and list directory: the system's apt state stays untouched.
  cat > "$work/sources.list" <<SRC
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main
SRC
  local opts=(-o "APT::Sandbox::User=root" -o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-" -o "Dir::State::Lists=$work/lists")
  say "fetching pgvector's Debian source package (trixie) from $uri"
  apt-get "${opts[@]}" update -qq >/dev/null
  (cd "$work" && apt-get "${opts[@]}" source --download-only pgvector >/dev/null)
  local orig
  orig="$(ls "$work"/pgvector_*.orig.tar.* 2>/dev/null | head -1)"
  [ -n "$orig" ] || die "pgvector source package not found in $uri trixie"
  mkdir -p "$work/src"
  tar -xf "$orig" -C "$work/src" --strip-components=1
  say "building pgvector $(basename "$orig" | sed -E 's/pgvector_([^.]+\.[^.]+\.[^.]+).*/\1/') against PostgreSQL $PG_MAJOR"
  make -s -C "$work/src" PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS="" >/dev/null
  as_root make -s -C "$work/src" PG_CONFIG="$PG_BIN/pg_config" install >/dev/null
}

if ! vector_installed; then
  pkg="postgresql-$PG_MAJOR-pgvector"
  if command -v apt-cache >/dev/null 2>&1 && { [ "$APT_UPDATED" -eq 1 ] || as_root apt-get update -qq >/dev/null; } \
     && APT_UPDATED=1 && apt-cache show "$pkg" >/dev/null 2>&1; then
    apt_install "$pkg"
  else
    say "no $pkg package in this distribution; building pgvector from Debian's source package"
    build_pgvector_from_debian_source
  fi
  vector_installed || die "pgvector is still not installed after the attempt above"
fi

# --- 3. A running cluster -------------------------------------------------------
if command -v pg_lsclusters >/dev/null 2>&1; then
  if ! pg_lsclusters -h | awk -v v="$PG_MAJOR" '$1==v' | grep -q .; then
    say "creating cluster $PG_MAJOR/main"
    as_root pg_createcluster "$PG_MAJOR" main --port "$PG_PORT" >/dev/null
  fi
  cluster="$(pg_lsclusters -h | awk -v v="$PG_MAJOR" '$1==v {print $2; exit}')"
  if ! pg_lsclusters -h | awk -v v="$PG_MAJOR" -v c="$cluster" '$1==v && $2==c && $4 ~ /online/' | grep -q .; then
    say "starting cluster $PG_MAJOR/$cluster"
    as_root pg_ctlcluster "$PG_MAJOR" "$cluster" start
  fi
  PG_PORT="$(pg_lsclusters -h | awk -v v="$PG_MAJOR" -v c="$cluster" '$1==v && $2==c {print $3}')"
else
  die "pg_lsclusters not found: start PostgreSQL $PG_MAJOR yourself and re-run"
fi
wait_for_postgres() {
  for _ in $(seq 1 30); do
    "$PG_BIN/pg_isready" -q -h localhost -p "$PG_PORT" && return 0
    sleep 0.5
  done
  die "PostgreSQL is not accepting connections on localhost:$PG_PORT"
}
wait_for_postgres
psql_pg() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }
# A server started before apt upgraded its packages (installing postgresql-server-dev above pulls
# the archive's newest minor release) still runs the old binary, which cannot load the new
# libraries: plpgsql failed with "undefined symbol" and every migration with it. Restart it.
running="$(psql_pg -tAc "show server_version" | awk '{print $1}')"
installed="$("$PG_BIN/postgres" --version | awk '{print $3}')"
if [ -n "$running" ] && [ -n "$installed" ] && [ "$running" != "$installed" ]; then
  say "restarting cluster $PG_MAJOR/$cluster: it runs PostgreSQL $running, the installed binaries are $installed"
  as_root pg_ctlcluster "$PG_MAJOR" "$cluster" restart
  wait_for_postgres
fi

# --- 3b. Chromium, for the web console's browser tests (Playwright drives it) ----
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi

# --- 4. Role, database, extension ----------------------------------------------
if [ "$(psql_pg -tAc "select 1 from pg_roles where rolname = '$DB_USER'")" != 1 ]; then
  say "creating role $DB_USER"
  psql_pg -c "create role \"$DB_USER\" login createdb"
fi
# Always, so a role made by an older setup (whose default password was "rebound") takes this one.
psql_pg -c "alter role \"$DB_USER\" password '$DB_PASSWORD'"
if [ "$(psql_pg -tAc "select 1 from pg_database where datname = '$DB_NAME'")" != 1 ]; then
  say "creating database $DB_NAME"
  psql_pg -c "create database \"$DB_NAME\" owner \"$DB_USER\""
fi
# The extension in template1 too, so databases that tests create for themselves have it.
for db in template1 "$DB_NAME"; do
  psql_pg -d "$db" -c "set client_min_messages = warning; create extension if not exists vector"
done
say "ready: postgresql://$DB_USER:***@localhost:$PG_PORT/$DB_NAME (pgvector $(psql_pg -d "$DB_NAME" -tAc "select extversion from pg_extension where extname='vector'"))"
