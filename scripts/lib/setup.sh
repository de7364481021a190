# Shared by quickstart.sh and test.sh: make the toolchain and system packages available.
# Sourced, not run.

# Debian packages the build and the tests need: libcurl and libcrypto (object-store adapter),
# liburing (worker block I/O), libfuse3 (the FUSE daemon); sqlite3 and rsync run on mounts in the tests.
GOOSEFS_APT_PACKAGES=(procps libcurl4-openssl-dev libssl-dev liburing-dev libfuse3-dev fuse3 sqlite3 rsync)

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

# Python tools the tests use: moto_server (a real S3 endpoint on loopback), boto3 and the AWS CLI
# to seed and read it, botocore's and Tencent's SDK signers to cross-check our signatures.
GOOSEFS_PIP_PACKAGES=("moto[server]" boto3 awscli cos-python-sdk-v5)

goosefs_install_python_tools() {
  if command -v moto_server >/dev/null 2>&1 && command -v aws >/dev/null 2>&1 \
    && python3 -c "import boto3, botocore, qcloud_cos" >/dev/null 2>&1; then
    return 0
  fi
  command -v pip3 >/dev/null 2>&1 || goosefs_apt_install python3-pip
  echo "Installing Python tools: ${GOOSEFS_PIP_PACKAGES[*]}"
  # Debian marks its Python "externally managed"; these are test tools, so install them anyway.
  PIP_BREAK_SYSTEM_PACKAGES=1 pip3 install -q "${GOOSEFS_PIP_PACKAGES[@]}" 2>&1 | grep -v "Running pip as the 'root' user" || true
  hash -r
}

goosefs_apt_install() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

goosefs_install_packages() {
  local missing=()
  for package in "${GOOSEFS_APT_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  goosefs_apt_install "${missing[@]}"
}
