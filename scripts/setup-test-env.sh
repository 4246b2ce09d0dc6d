#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages, from Debian's packages. Idempotent.
#   xmllint (libxml2-utils): validates API documents against OpenNebula's XSDs (../shared/tools/xsd-check).
set -euo pipefail
need=()
command -v xmllint >/dev/null || need+=(libxml2-utils)
if ((${#need[@]})); then
  echo "setup-test-env: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
