#!/usr/bin/env bash
# Installs the Debian packages a target needs, only those missing. Usage:
#   scripts/install-deps.sh build     # PCRE2 headers, pkg-config
#   scripts/install-deps.sh test      # + netcat, pytest, chromium, websockify, haproxy, tmux for the end-to-end tests
#   scripts/install-deps.sh bench     # + valgrind, a C compiler and objcopy for `make bench`
set -euo pipefail

packages=(libpcre2-dev pkg-config)
case "${1:-build}" in
  build) ;;
  test) packages+=(netcat-openbsd python3 python3-pytest chromium websockify haproxy tmux) ;;
  bench) packages+=(python3 valgrind gcc binutils) ;;
  *) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
