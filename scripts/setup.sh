# Installs what is missing; sourced by ./dev. Idempotent and quiet when nothing is missing.

RUNTIME_DEBS=(espeak-ng libespeak1 libportaudio2 python3-oscrypto)
# fonts-nanum: Korean glyphs for Chromium (the ko-KR screen's tests and screenshots).
# flite and festival voices: synthetic speech besides espeak-ng for the speech tests and bench.
TEST_DEBS=(postgresql chromium chromium-driver sox fonts-nanum flite festival festvox-us-slt-hts
  festvox-kallpc16k festvox-kdlpc16k)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

install_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    say "missing Debian packages: ${missing[*]}; install them as root (apt-get install ${missing[*]})"
    return 1
  fi
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_venv() {
  local python="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then
    say "creating .venv with $($python --version)"
    "$python" -m venv .venv
    .venv/bin/pip install -q --upgrade pip setuptools wheel
  fi
}

# Reinstalls the project only when its packaging changed.
install_project() {
  local extras="$1" stamp=".venv/.vcom-installed-$1"
  local digest; digest="$(cat setup.cfg pyproject.toml | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    say "installing the project and its Python dependencies ($extras)"
    # setuptools' editable-install warnings are noise here; the log is shown if pip fails.
    if ! .venv/bin/pip install -q --disable-pip-version-check -e ".[$extras]" \
        > .venv/pip-install.log 2>&1; then
      cat .venv/pip-install.log >&2
      say "installing Python packages failed (log above: .venv/pip-install.log)"
      return 1
    fi
    echo "$digest" > "$stamp"
  fi
  patch_oscrypto
}

# PyPI's oscrypto 1.3.0 cannot parse OpenSSL versions like 3.0.19 and fails at import, which breaks
# flask-ask-sdk's signature verification. Debian's python3-oscrypto carries the upstream fix; its
# pure-Python modules replace the venv's copy (pip's metadata stays, so pip leaves them alone).
patch_oscrypto() {
  local site debian=/usr/lib/python3/dist-packages/oscrypto
  site="$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  [ -d "$site/oscrypto" ] || return 0
  if ! cmp -s "$debian/_openssl/_libcrypto_ctypes.py" "$site/oscrypto/_openssl/_libcrypto_ctypes.py"; then
    say "replacing PyPI's oscrypto with Debian's fixed copy (OpenSSL 3.x version detection)"
    cp -r "$debian/." "$site/oscrypto/"
    find "$site/oscrypto" -name '__pycache__' -prune -exec rm -rf {} +
  fi
}

setup_runtime() {
  install_debs "${RUNTIME_DEBS[@]}"
  ensure_venv
  install_project postgres
}

setup_tests() {
  install_debs "${RUNTIME_DEBS[@]}" "${TEST_DEBS[@]}"
  ensure_venv
  install_project dev
}
