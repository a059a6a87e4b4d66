# Shared helpers for scripts/run.sh and scripts/test.sh (sourced, not executed).
# They find Odoo 18, make sure PostgreSQL and a non-superuser role exist, and
# write the Odoo configuration used by both commands under .local/.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="$REPO_DIR/.local"
# Odoo's files (attachments, assets) live beside its databases, which are machine-wide:
# Odoo's own default place, shared by every checkout, rather than inside this one.
DATA_DIR="${CRMI_DATA_DIR:-$HOME/.local/share/Odoo}"
PYTHON="${PYTHON:-python3}"
DB_ROLE="${CRMI_DB_USER:-crm_industrial}"
DB_PASSWORD="${CRMI_DB_PASSWORD:-crm_industrial}"
# Odoo refuses the database superuser; PostgreSQL listens on loopback only.
DB_HOST="${CRMI_DB_HOST:-localhost}"
DB_PORT="${CRMI_DB_PORT:-5432}"

say() { printf '[crm_industrial] %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@";
    elif command -v sudo >/dev/null; then sudo "$@";
    else die "This step needs root: run '$*' as root, then try again."; fi
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@";
    else sudo -u postgres "$@"; fi
}

apt_install() {
    say "Installing Debian packages: $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 || {
        as_root apt-get update -q >/dev/null 2>&1
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
    }
}

# Odoo 18 is used, never shipped. It is found by its files, before anything is imported
# (importing odoo already needs its requirements): the tree named by ODOO_PATH (the
# folder holding odoo-bin), else an `odoo` package that $PYTHON can see, else a tree in
# one of the usual places (CRMI_ODOO_PLACES, default /opt/odoo18 /opt/odoo). Sets ODOO_DIR.
find_odoo() {
    if [ -z "${ODOO_PATH:-}" ] && ! odoo_package_dir >/dev/null; then
        local place
        for place in ${CRMI_ODOO_PLACES-/opt/odoo18 /opt/odoo}; do
            if [ -f "$place/odoo/release.py" ]; then ODOO_PATH="$place"; break; fi
        done
    fi
    if [ -n "${ODOO_PATH:-}" ]; then
        [ -f "$ODOO_PATH/odoo/release.py" ] || die "ODOO_PATH=$ODOO_PATH does not hold an Odoo source tree (no odoo/release.py there): point it at the folder that contains odoo-bin."
        ODOO_DIR="$(cd "$ODOO_PATH" && pwd)"
    else
        local package
        package="$(odoo_package_dir)" || die "Odoo 18 was not found: install the Odoo 18.0 source so that '$PYTHON -c \"import odoo\"' works, or set ODOO_PATH to the folder that contains odoo-bin."
        ODOO_DIR="$(dirname "$package")"
    fi
    local major
    major="$(sed -n 's/^version_info = (\([0-9]*\),.*/\1/p' "$ODOO_DIR/odoo/release.py")"
    [ "$major" = 18 ] || die "Odoo ${major:-of unknown version} was found at $ODOO_DIR, but crm_industrial needs Odoo 18.0: install 18.0 or set ODOO_PATH to an 18.0 tree."
    export ODOO_DIR
}

# The folder of the `odoo` package $PYTHON sees, found without importing it.
odoo_package_dir() {
    local package
    package="$("$PYTHON" -c 'import importlib.util as u; s = u.find_spec("odoo"); print(list(s.submodule_search_locations)[0] if s and s.submodule_search_locations else "")' 2>/dev/null || true)"
    [ -n "$package" ] && [ -f "$package/release.py" ] && echo "$package"
}

# The Python that runs Odoo. $PYTHON is used as it is when it imports Odoo and its
# requirements; otherwise the project's own virtual environment (.local/venv) gets
# Odoo's requirements.txt (once, with the Debian headers they build against) and sees
# the Odoo tree through a .pth file. The machine's own Python is never changed.
ODOO_IMPORT_CHECK='import odoo, psycopg2, lxml, werkzeug, babel, passlib, PIL, reportlab, docutils, rjsmin, gevent, ldap'
ensure_odoo_python() {
    if PYTHONPATH="$ODOO_DIR${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -c "$ODOO_IMPORT_CHECK" 2>/dev/null; then
        export PYTHONPATH="$ODOO_DIR${PYTHONPATH:+:$PYTHONPATH}"
        return
    fi
    local venv="$LOCAL_DIR/venv"
    local stamp="$venv/.crmi-odoo-requirements"
    local wanted
    wanted="$ODOO_DIR $(sha1sum < "$ODOO_DIR/requirements.txt" | cut -d' ' -f1)"
    if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        [ -f "$ODOO_DIR/requirements.txt" ] || die "Odoo's Python requirements are missing and $ODOO_DIR/requirements.txt was not found: install Odoo 18's requirements."
        ensure_build_headers
        say "Creating the virtual environment $venv with Odoo's Python requirements (once, about a minute)"
        rm -rf "$venv"
        "$PYTHON" -m venv "$venv" || die "Creating a virtual environment failed: install Debian's python3-venv and try again."
        local constraints="$LOCAL_DIR/pip-constraints.txt"
        # Odoo's pinned cbor2 builds only with an older setuptools (pip 23 reads
        # PIP_CONSTRAINT for build environments, pip 25+ PIP_BUILD_CONSTRAINT).
        # That setuptools' pkg_resources cannot find distributions whose metadata folder has the
        # newer normalised name (zope_interface-8.7.dist-info); gevent looks up zope.interface and
        # zope.event through it when a prefork server (--workers) starts its gevent worker.
        printf '%s\n' 'setuptools<70' 'zope.interface<7' 'zope.event<5' > "$constraints"
        PIP_CONSTRAINT="$constraints" PIP_BUILD_CONSTRAINT="$constraints" PYTHON="$venv/bin/python" \
            pip_install -r "$ODOO_DIR/requirements.txt" \
            || die "Installing Odoo's Python requirements into $venv failed (see above)."
        "$venv/bin/python" -c 'import sysconfig, sys; print(sysconfig.get_paths()["purelib"])' > "$LOCAL_DIR/venv-site"
        echo "$ODOO_DIR" > "$(cat "$LOCAL_DIR/venv-site")/odoo-source.pth"
        echo "$wanted" > "$stamp"
    fi
    PYTHON="$venv/bin/python"
    export PYTHON
    "$PYTHON" -c "$ODOO_IMPORT_CHECK" 2>/dev/null || die "Odoo at $ODOO_DIR does not import in $venv: remove $venv and try again."
}

# Debian headers that Odoo's requirements compile against (python-ldap, psycopg2).
ensure_build_headers() {
    local missing=() package
    for package in libldap2-dev libsasl2-dev libpq-dev; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ "${#missing[@]}" = 0 ] || apt_install "${missing[@]}"
}

ensure_postgres() {
    if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        apt_install postgresql
    fi
    if pg_isready -q -h "$DB_HOST" -p "$DB_PORT"; then return; fi
    local version
    version="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
    if ! pg_lsclusters -h | grep -q "^$version main"; then
        as_root pg_createcluster "$version" main >/dev/null
    fi
    say "Starting PostgreSQL $version"
    as_root pg_ctlcluster "$version" main start
    for _ in $(seq 1 30); do pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && return; sleep 1; done
    die "PostgreSQL did not start on $DB_HOST:$DB_PORT: see 'pg_lsclusters' and the cluster's log under /var/log/postgresql."
}

ensure_db_role() {
    local exists
    exists="$(as_postgres psql -p "$DB_PORT" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_ROLE'")"
    if [ "$exists" != 1 ]; then
        say "Creating the PostgreSQL role '$DB_ROLE' (not a superuser)"
        as_postgres psql -p "$DB_PORT" -q -c "CREATE ROLE \"$DB_ROLE\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD'"
    fi
}

# write_odoo_config FILE [extra "key = value" lines...]
write_odoo_config() {
    local file="$1"; shift
    mkdir -p "$(dirname "$file")" "$DATA_DIR"
    {
        echo "[options]"
        echo "addons_path = $REPO_DIR,$ODOO_DIR/odoo/addons"
        echo "data_dir = $DATA_DIR"
        echo "db_host = $DB_HOST"
        echo "db_port = $DB_PORT"
        echo "db_user = $DB_ROLE"
        echo "db_password = $DB_PASSWORD"
        echo "http_interface = 127.0.0.1"
        echo "list_db = False"
        for line in "$@"; do echo "$line"; done
    } > "$file"
}

# pip install, quietly: only real problems reach the terminal.
pip_install() {
    "$PYTHON" -m pip install -q --disable-pip-version-check "$@" 2>&1 \
        | grep -v -e "Running pip as the 'root' user" -e "is ignored: it is neither a file nor a directory" >&2 || true
    return "${PIPESTATUS[0]}"
}

odoo_bin() { "$PYTHON" -m odoo "$@"; }

db_exists() {
    PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_ROLE" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}

drop_db() {
    PGPASSWORD="$DB_PASSWORD" dropdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_ROLE" --if-exists "$1"
    rm -rf "$DATA_DIR/filestore/$1"
}
