# Shared set-up steps for scripts/demo and scripts/test. Idempotent: fast when already done.

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  # apt_install PACKAGE... — installs Debian packages that are missing.
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_venv() {
  local python="${PYTHON:-python3}"
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "error: Python 3.11 or newer is needed (found $("$python" --version 2>&1))." >&2
    exit 2
  fi
  if [ ! -x .venv/bin/python ]; then
    "$python" -c 'import venv' 2>/dev/null && "$python" -m venv .venv 2>/dev/null || {
      apt_install python3-venv
      rm -rf .venv
      "$python" -m venv .venv
    }
  fi
  local stamp=.venv/.kyphocare-installed extras="${1:-}"
  local want
  want="$(cat pyproject.toml)${extras}"
  # An install with the test extras also serves the demo.
  if [ ! -f "$stamp" ] || { [ "$(cat "$stamp")" != "$want" ] \
      && [ "$(cat "$stamp")" != "$(cat pyproject.toml)test" ]; }; then
    say "Installing kyphocare${extras:+ with [$extras]} into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".${extras:+[$extras]}"
    printf '%s' "$want" > "$stamp"
  fi
}
