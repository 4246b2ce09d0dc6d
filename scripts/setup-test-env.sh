#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages, from Debian's packages, then builds the test guest.
# Idempotent and quiet: one line per package set it installs and per guest it builds, nothing when all is there.
#   libxml2-utils                 xmllint: validates API documents against OpenNebula's XSDs (../shared/tools/xsd-check)
#   qemu-system-x86 qemu-utils    the real hypervisor the qemu driver and its tests run (always with -accel tcg here)
#   openssh-server openssh-client the test hosts' sshd and the front-end's ssh (scripts/test-hosts.sh)
#   iproute2 procps               network namespaces, veths and the bridge of the test hosts; ps/pgrep
#   busybox-static cpio kmod      the test guest (scripts/build-test-guest.sh): its userland, initramfs, module order
#   genisoimage                   isoinfo/isovfy: an independent reader of the context CD-ROMs the daemon writes
#   e2fsprogs                     mke2fs: the test guest's OS disk image (rootfs.img)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(libxml2-utils qemu-system-x86 qemu-utils openssh-server openssh-client iproute2 procps
  busybox-static cpio kmod genisoimage e2fsprogs)

# dpkg-query names every package it knows; the ones not fully installed (or unknown to it) are missing.
installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${packages[@]}" 2>/dev/null | awk '$2 == "ii" { print $1 }' || true)
need=()
for p in "${packages[@]}"; do
  grep -qx "$p" <<<"$installed" || need+=("$p")
done

if ((${#need[@]})); then
  ((EUID == 0)) || { echo "setup-test-env: ${need[*]} missing; run this script as root to install them" >&2; exit 1; }
  echo "setup-test-env: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # apt's chatter stays out of the way unless it fails.
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if ! { apt-get -o DPkg::Lock::Timeout=300 update -qq &&
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup-test-env: installing ${need[*]} failed (apt's output above)" >&2
    exit 1
  fi
fi

# The guest is rebuilt when missing or when it was built by another version of the build script.
guest=${NIMBUS_TEST_KIT:-$repo/.test-kit}/guest
want=$(sha256sum "$repo/scripts/build-test-guest.sh" | cut -d' ' -f1)
have=$(sed -n 's/^script-sha256=//p' "$guest/build-info" 2>/dev/null || true)
if [[ $have != "$want" || ! -f $guest/vmlinuz || ! -f $guest/initrd.img ]]; then
  bash "$repo/scripts/build-test-guest.sh" "$guest"
fi
