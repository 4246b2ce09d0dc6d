#!/bin/sh
# Nimbus host probe: prints the host's capacity and the QEMU processes of its VMs as KEY=VALUE lines.
# Usage: probe.sh DATASTORE_LOCATION
# Pushed to every host by the front-end; it needs only a POSIX shell, awk, df and /proc.
location=${1:-/var/lib/nimbus/datastores}

cpu_times() { awk '/^cpu /{ idle=$5+$6; t=0; for (i=2; i<=NF; i++) t+=$i; print t, idle; exit }' /proc/stat; }
set -- $(cpu_times); t1=$1; i1=$2
sleep 0.2
set -- $(cpu_times); t2=$1; i2=$2
ncpu=$(grep -c '^processor' /proc/cpuinfo)

echo "HYPERVISOR=qemu"
echo "ARCH=$(uname -m)"
echo "HOSTNAME=$(uname -n)"
awk -F': *' '/^model name/{ print "MODELNAME=" $2; exit }' /proc/cpuinfo
awk -F': *' '/^cpu MHz/{ printf "CPUSPEED=%d\n", $2; exit }' /proc/cpuinfo
echo "TOTALCPU=$((ncpu * 100))"
awk -v dt=$((t2 - t1)) -v di=$((i2 - i1)) -v n="$ncpu" 'BEGIN { if (dt > 0) printf "USEDCPU=%d\n", (1 - di / dt) * n * 100; else print "USEDCPU=0" }'
awk '/^MemTotal:/{ t=$2 } /^MemAvailable:/{ a=$2 } END { print "TOTALMEMORY=" t; print "USEDMEMORY=" t - a; print "FREEMEMORY=" a }' /proc/meminfo
awk -F'[: ]+' 'NR > 2 && $2 != "lo" { rx += $3; tx += $11 } END { printf "NETRX=%d\nNETTX=%d\n", rx, tx }' /proc/net/dev
mkdir -p "$location" 2>/dev/null
df -Pk "$location" | awk 'NR == 2 { printf "DS_TOTAL_MB=%d\nDS_USED_MB=%d\nDS_FREE_MB=%d\n", $2 / 1024, $3 / 1024, $4 / 1024 }'
echo "CLK_TCK=$(getconf CLK_TCK)"
echo "NOW=$(date +%s)"

# One line per QEMU process of a VM in this host's network namespace (namespaces share the PID space).
self_ns=$(readlink /proc/self/ns/net)
for dir in /proc/[0-9]*; do
  pid=${dir#/proc/}
  [ "$(readlink "$dir/ns/net" 2>/dev/null)" = "$self_ns" ] || continue
  name=$(tr '\0' '\n' < "$dir/cmdline" 2>/dev/null | sed -n 's/^guest=\(one-[0-9]*\),process=.*/\1/p')
  [ -n "$name" ] || continue
  ticks=$(awk '{ print $14 + $15 }' "$dir/stat" 2>/dev/null)
  rss=$(awk '/^VmRSS:/{ print $2 }' "$dir/status" 2>/dev/null)
  rx=0; tx=0
  for tap in /sys/class/net/"$name"-*; do
    [ -d "$tap" ] || continue
    rx=$((rx + $(cat "$tap/statistics/tx_bytes"))); tx=$((tx + $(cat "$tap/statistics/rx_bytes")))
  done
  echo "VM=$name PID=$pid TICKS=${ticks:-0} RSS=${rss:-0} NETRX=$rx NETTX=$tx"
done
