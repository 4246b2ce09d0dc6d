#!/usr/bin/env bash
# Builds the tiny guest the real-host tests boot under QEMU, from Debian's packages alone:
#   OUTDIR/vmlinuz      Debian's newest downloadable linux-image-6.1.0-*-amd64 kernel
#   OUTDIR/initrd.img   gzip'd newc cpio: busybox-static, the virtio/ACPI modules, and an /init (below)
#   OUTDIR/rootfs.img   the same tree as an ext2 file system, marked root-disk in /etc/nimbus-root: an OS disk
#                       image. A guest booted with `nimbus.root=/dev/vdX` on its kernel command line switches
#                       to that disk and runs from it (what "booting an image" means for this guest)
#   OUTDIR/build-info   kernel version, build date, and the hash of this script (setup-test-env.sh compares it)
# Usage: build-test-guest.sh [OUTDIR]   (default: ${NIMBUS_TEST_KIT:-<repo>/.test-kit}/guest). Re-runnable:
# each run rebuilds and replaces the three files at once.
#
# The guest prints the line NIMBUS-GUEST-READY on ttyS0 when ready, then keeps a shell on ttyS0.
# It powers off on an ACPI power-button press (QMP system_powerdown) unless the kernel command line
# holds `nimbus.noacpi`, which makes a guest that ignores ACPI shutdown.
set -Eeuo pipefail
# Whatever step fails unexpectedly is named, so the error says more than a bare exit status.
trap 'echo "build-test-guest: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-${NIMBUS_TEST_KIT:-$repo/.test-kit}/guest}

# Modules the guest needs; each is loaded after what it depends on (order computed from depmod's modules.dep).
required=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk
  failover net_failover virtio_net virtio_balloon button evdev)
# For CD-ROM images (OpenNebula's CONTEXT and CDROM disks): taken only when that kernel builds them as modules.
# ata_piix is the controller QEMU's default CD-ROM sits on; without it sr_mod would have no drive to find.
optional=(isofs cdrom sr_mod ata_piix)
# For the OS disk image (rootfs.img, ext2, which Debian's kernel mounts with its ext4 module).
required+=(ext4)

fail() { echo "build-test-guest: $*" >&2; exit 1; }

for tool in apt-get apt-cache dpkg-deb depmod modprobe cpio gzip mke2fs; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing; run 'bash scripts/setup-test-env.sh' first (as root)"
done

mkdir -p "$out"
work=$(mktemp -d /tmp/nimbus-guest-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
# apt downloads as its unprivileged _apt user when that user may write the target directory.
if id _apt >/dev/null 2>&1; then chown _apt "$work"; fi

# Newest ABI first; within one ABI the plain (signed) package, then the unsigned one. The kernel image
# is used with QEMU's -kernel, where the signature plays no part.
kernel_candidates() {
  apt-cache pkgnames linux-image-6.1.0- | grep -E '^linux-image-6\.1\.0-[0-9]+-amd64(-unsigned)?$' |
    sort -t- -k4,4nr -k6,6 || true
}

# Downloads the newest kernel apt can fetch; prints its package name.
download_kernel() {
  local pkg
  for pkg in $(kernel_candidates); do
    if (cd "$work" && apt-get download -qq "$pkg" >/dev/null 2>&1); then echo "$pkg"; return 0; fi
  done
  return 1
}

# Old or empty package lists name kernels the mirror no longer has: refresh them once and try again.
kpkg=$(download_kernel) || {
  apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null 2>&1 ||
    fail "'apt-get update' failed; check the Debian mirror in /etc/apt/sources.list*"
  kpkg=$(download_kernel) || fail "no linux-image-6.1.0-*-amd64 package could be downloaded from the Debian mirror"
}
(cd "$work" && apt-get download -qq busybox-static >/dev/null 2>&1) ||
  fail "could not download busybox-static from the Debian mirror"

root=$work/extract
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$root"; done
kver=$(ls "$root/lib/modules")
[[ -f $root/boot/vmlinuz-$kver ]] || fail "$kpkg holds no /boot/vmlinuz-$kver"
depmod -b "$root" "$kver"

# Lists the module files to insmod for one module, dependencies first; nothing when it is built in.
module_files() {
  modprobe -d "$root" -S "$kver" --show-depends "$1" 2>/dev/null | sed -n 's/^insmod \([^ ]*\).*/\1/p'
}
known_module() {
  modprobe -d "$root" -S "$kver" --show-depends "$1" >/dev/null 2>&1
}

img=$work/initrd
mkdir -p "$img"/{bin,dev,proc,sys,tmp,etc/acpi/PWRF,lib/modules,var/log}
declare -A seen=()
load_order=()
for m in "${required[@]}" "${optional[@]}"; do
  if ! known_module "$m"; then
    [[ " ${optional[*]} " == *" $m "* ]] && continue
    fail "module $m is neither built into kernel $kver nor shipped as a module"
  fi
  for f in $(module_files "$m"); do
    name=$(basename "$f")
    [[ -n ${seen[$name]:-} ]] && continue
    seen[$name]=1
    cp "$f" "$img/lib/modules/$name"
    load_order+=("$name")
  done
done
printf '%s\n' "${load_order[@]}" >"$img/lib/modules/load-order"

cp "$root/bin/busybox" "$img/bin/busybox"
for applet in $("$img/bin/busybox" --list); do
  [[ $applet == busybox ]] || ln -s busybox "$img/bin/$applet"
done

# busybox acpid turns the power button into the event PWRF/00000080 and runs the file of that name.
cat >"$img/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
poweroff -f
EOF

# udhcpc only reports the lease; this applies it.
cat >"$img/etc/udhcpc.script" <<'EOF'
#!/bin/sh
case "$1" in
  bound|renew)
    ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}"
    [ -n "$router" ] && route add default gw "${router%% *}" dev "$interface"
    for d in $dns; do echo "nameserver $d"; done >/etc/resolv.conf
    ;;
esac
EOF

cat >"$img/init" <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# (from the OS disk, the initramfs loaded them already)
[ -e /etc/nimbus-root ] || for m in $(cat /lib/modules/load-order); do insmod "/lib/modules/$m"; done
hostname nimbus-guest

# Booting from a disk: the initramfs hands over to the root file system on nimbus.root, which runs this
# same script again (it has /etc/nimbus-root, so it stays).
root_dev=$(sed -n 's/.*nimbus\.root=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -n "$root_dev" ] && [ ! -e /etc/nimbus-root ]; then
  mkdir -p /newroot
  if mount -t ext2 "$root_dev" /newroot; then
    umount /proc /sys
    exec switch_root /newroot /init
  fi
  echo "NIMBUS-ROOT-MISSING $root_dev" >/dev/ttyS0
fi

case " $(cat /proc/cmdline) " in
  *" nimbus.noacpi "*) ;;
  *) acpid -c /etc/acpi -l /var/log/acpid.log ;;
esac

ip link set lo up
if [ -e /sys/class/net/eth0 ]; then
  ip link set eth0 up
  # QEMU's user network answers at once; without a DHCP server give up after about two seconds.
  udhcpc -i eth0 -s /etc/udhcpc.script -f -q -n -t 2 -T 1 >/dev/null 2>&1
fi

# Keep kernel messages off the serial line from here on so that what a test types and reads stays clean.
dmesg -n 1
echo NIMBUS-GUEST-READY >/dev/ttyS0

# PID 1 must never exit: the shell on the serial line comes back whenever it ends.
while true; do
  # A new session that opens ttyS0 makes it the shell's controlling terminal: job control and Ctrl-C work.
  setsid sh -c 'exec sh -i <>/dev/ttyS0 >&0 2>&0'
  sleep 1
done
EOF
chmod 755 "$img/init" "$img/etc/udhcpc.script" "$img/etc/acpi/PWRF/00000080"

(cd "$img" && find . | cpio -o -H newc --quiet) | gzip -6 >"$work/initrd.img"
# The OS disk: the same tree (its /init finds the modules loaded already), with its mark.
echo root-disk >"$img/etc/nimbus-root"
mkdir -p "$img/newroot"
truncate -s 32M "$work/rootfs.img"
mke2fs -q -F -t ext2 -d "$img" "$work/rootfs.img"
cp "$root/boot/vmlinuz-$kver" "$work/vmlinuz"
{
  echo "kernel=$kver"
  echo "kernel-package=$kpkg"
  echo "busybox-static=$(dpkg-deb -f "$work"/busybox-static_*.deb Version)"
  echo "modules=${load_order[*]}"
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "script-sha256=$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)"
} >"$work/build-info"
# Replace each file by a rename so that a running test never reads a half-written one.
for f in vmlinuz initrd.img rootfs.img build-info; do
  mv -f "$work/$f" "$out/.$f.new"
  mv -f "$out/.$f.new" "$out/$f"
done
echo "build-test-guest: kernel $kver -> $out"
