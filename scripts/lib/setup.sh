# Shared by quickstart.sh and test.sh: make the toolchain and system packages available.
# Sourced, not run.

# Debian packages the build and the tests need. Later issues add FUSE, io_uring and libcurl here.
GOOSEFS_APT_PACKAGES=(procps libcurl4-openssl-dev libssl-dev)

goosefs_setup_toolchain() {
  if ! command -v swift >/dev/null 2>&1; then
    if [ -x /opt/swift/usr/bin/swift ]; then
      export PATH="/opt/swift/usr/bin:$PATH"
    else
      echo "Swift 6 is needed: install it at /opt/swift (https://www.swift.org/install/linux/)." >&2
      return 1
    fi
  fi
}

goosefs_install_packages() {
  local missing=()
  for package in "${GOOSEFS_APT_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}
