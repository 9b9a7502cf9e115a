#!/usr/bin/env bash
# Installs every Debian package that bcma's build, tests and demo need.
# This is the one place dependencies are named. Idempotent; runs `apt-get update` once.
# Usage (as root on Debian 12): tools/install-deps.sh
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang libclang-rt-14-dev            # libFuzzer and sanitizer runtimes for the fuzz preset
  # libraries
  libzxing-dev                        # barcode decoding (ZXing-cpp 1.4)
  zint libzint-dev                    # GS1 DataMatrix / Code 128 / EAN-13 generation
  libsqlite3-dev sqlite3              # the station store (sqlite3 CLI for inspection)
  libboost-dev libboost-system-dev    # Asio and Beast
  libprotobuf-dev protobuf-compiler   # scanner <-> station protocol
  libusb-1.0-0-dev                    # docked scanners
  libssl-dev openssl                  # TLS 1.3, SHA-256, HMAC
  libsodium-dev                       # Argon2id PIN hashes
  nlohmann-json3-dev                  # JSON for CLI output, scenarios, FHIR
  libexpat1-dev                       # streaming dm+d XML
  zlib1g-dev                          # dm+d release zips (also pulled in by libprotobuf-dev)
  libhowardhinnant-date-dev tzdata    # tz database checks of the Europe/London rules
  libstb-dev                          # PNG/JPEG loading for the decode pipeline
  libdmtx-dev                         # comparison benchmark only
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium                            # the browser the web page tests drive (tests/web)
  nodejs                              # runs those tests (playwright-core, pinned in tests/web)
)
# npm: Debian's package, unless the nodejs installed already ships npm (NodeSource's build
# does, and conflicts with Debian's npm package).
if ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

# The browser tests' JavaScript dependency, exactly as locked in tests/web/package-lock.json.
# playwright-core never downloads a browser: the tests use /usr/bin/chromium from Debian.
install_web_test_modules() {
  local web
  web="$(cd "$(dirname "$0")/.." && pwd)/tests/web"
  if [ -f "$web/node_modules/.package-lock.json" ] &&
     [ "$web/node_modules/.package-lock.json" -nt "$web/package-lock.json" ]; then
    echo "install-deps: tests/web node modules up to date"
    return
  fi
  echo "install-deps: npm ci in tests/web"
  (cd "$web" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  install_web_test_modules
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: these packages are missing and installing them needs root: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
install_web_test_modules
