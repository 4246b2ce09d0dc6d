#!/bin/sh
# Prints "kvm" when QEMU can really run a guest under KVM on this host, else "tcg".
# A boot sector that writes to the isa-debug-exit port must make QEMU exit with status 99 under
# -accel kvm -cpu host: /dev/kvm existing is not enough (some hosts open it and then hang or abort).
# Usage: kvm-probe.sh QEMU_BINARY
emulator=${1:-qemu-system-x86_64}
[ -c /dev/kvm ] || { echo tcg; exit 0; }
dir=$(mktemp -d) || { echo tcg; exit 0; }
trap 'rm -rf "$dir"' EXIT
# mov al, 0x31; out 0xf4, al; hlt; jmp $-1 ... then the 0x55AA boot signature at byte 510.
printf '\260\061\346\364\364\353\375' > "$dir/boot"
dd if=/dev/zero bs=1 count=503 2>/dev/null >> "$dir/boot"
printf '\125\252' >> "$dir/boot"
timeout 10 "$emulator" -accel kvm -cpu host -machine pc -nodefaults -no-user-config -display none \
  -drive file="$dir/boot",format=raw,if=ide -device isa-debug-exit,iobase=0xf4,iosize=0x04 >/dev/null 2>&1
[ $? -eq 99 ] && echo kvm || echo tcg
