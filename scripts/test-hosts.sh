#!/usr/bin/env bash
# Real "hosts" for the tests, made of network namespaces on this machine (run as root):
#   create N   bridge nimbr0 (10.77.0.1/24, the front-end's address) and hosts nimbus-h1..nimbus-hN, each a network
#              namespace with a veth into the bridge at 10.77.0.(10+i)/24 and its own sshd on port 22.
#              Idempotent; a larger N adds hosts. Prints one line per host: NAME NAMESPACE ADDRESS DIR.
#   destroy    ends every process in the hosts (their sshd, any QEMU left behind), deletes the namespaces, veths
#              and bridge, and empties the hosts' directories. Safe when nothing exists.
#   status     one line per host: NAME NAMESPACE ADDRESS and whether its sshd is alive.
# State (keys, known_hosts, sshd configs, the hosts' directories) lives in ${NIMBUS_TEST_KIT:-<repo>/.test-kit}/hosts:
#   id_ed25519            the front-end's key, authorized as root on every host (authorized_keys)
#   known_hosts           every host's key for its address
#   hosts/hN/             the host's own files (its "local disk")
#   sshd/hN/              the host's sshd_config, host key (made once, kept across destroy) and pid file
# Every address is on this machine; the namespaces have no route anywhere else.
set -Eeuo pipefail
# Whatever step fails unexpectedly is named, so the error says more than a bare exit status.
trap 'echo "test-hosts: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state=${NIMBUS_TEST_KIT:-$repo/.test-kit}/hosts
bridge=nimbr0
prefix=10.77.0
max_hosts=200

fail() { echo "test-hosts: $*" >&2; exit 1; }

address() { echo "$prefix.$((10 + $1))"; }

# Host numbers of the namespaces that exist now, ascending.
existing_hosts() {
  ip netns list | sed -n 's/^nimbus-h\([0-9][0-9]*\)\( .*\)\{0,1\}$/\1/p' | sort -n
}

# Prints the pid of host i's sshd when it runs inside that host's namespace.
sshd_pid() {
  local pidfile=$state/sshd/h$1/sshd.pid pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $(ip netns identify "$pid" 2>/dev/null) == "nimbus-h$1" ]] || return 1
  echo "$pid"
}

ensure_bridge() {
  ip link show "$bridge" >/dev/null 2>&1 || ip link add "$bridge" type bridge
  ip addr replace "$prefix.1/24" dev "$bridge"
  ip link set "$bridge" up
}

ensure_keys() {
  mkdir -p "$state/hosts" "$state/sshd"
  [[ -f $state/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C nimbus-front-end -f "$state/id_ed25519"
  cp "$state/id_ed25519.pub" "$state/authorized_keys"
}

ensure_namespace() {
  local i=$1 ns=nimbus-h$1
  ip netns list | grep -q "^$ns\b" || ip netns add "$ns"
  if ! ip link show "$ns" >/dev/null 2>&1; then
    # A namespace left without its pair (deleted by hand) may still hold the old eth0.
    ip -n "$ns" link del eth0 2>/dev/null || true
    ip link add "$ns" type veth peer name eth0 netns "$ns"
  fi
  ip link set "$ns" master "$bridge" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr replace "$(address "$i")/24" dev eth0
  ip -n "$ns" link set eth0 up
}

ensure_sshd() {
  local i=$1 dir=$state/sshd/h$1
  mkdir -p "$dir" "$state/hosts/h$i"
  [[ -f $dir/ssh_host_ed25519_key ]] || ssh-keygen -q -t ed25519 -N '' -C "nimbus-h$i" -f "$dir/ssh_host_ed25519_key"
  cat >"$dir/sshd_config" <<EOF
ListenAddress $(address "$i"):22
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $state/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowStreamLocalForwarding yes
AllowTcpForwarding yes
MaxSessions 64
MaxStartups 100
Subsystem sftp internal-sftp
EOF
  sshd_pid "$i" >/dev/null && return 0
  rm -f "$dir/sshd.pid"
  mkdir -p /run/sshd
  ip netns exec "nimbus-h$i" /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" ||
    fail "sshd of nimbus-h$i did not start; see $dir/sshd.log"
  # sshd writes its pid file once it listens.
  for _ in $(seq 50); do sshd_pid "$i" >/dev/null && return 0; sleep 0.1; done
  fail "sshd of nimbus-h$i is not listening on $(address "$i"):22 after 5 s; see $dir/sshd.log"
}

write_known_hosts() {
  local i
  for i in $(existing_hosts); do
    echo "$(address "$i") $(cut -d' ' -f1,2 "$state/sshd/h$i/ssh_host_ed25519_key.pub")"
  done >"$state/known_hosts.new"
  mv -f "$state/known_hosts.new" "$state/known_hosts"
}

create() {
  local n=$1 i
  if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > max_hosts)); then
    fail "create needs a number of hosts from 1 to $max_hosts, not '$n'"
  fi
  for tool in ip ssh-keygen /usr/sbin/sshd; do
    command -v "$tool" >/dev/null || fail "'$tool' is missing; run 'bash scripts/setup-test-env.sh' first (as root)"
  done
  ensure_keys
  ensure_bridge
  for ((i = 1; i <= n; i++)); do
    ensure_namespace "$i"
    ensure_sshd "$i"
  done
  write_known_hosts
  for ((i = 1; i <= n; i++)); do
    echo "h$i nimbus-h$i $(address "$i") $state/hosts/h$i"
  done
}

# Ends every process inside namespace ns: politely, then for good after two seconds.
kill_namespace_processes() {
  local ns=$1 pids
  mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null)
  ((${#pids[@]})) || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 20); do
    mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null)
    ((${#pids[@]})) || return 0
    sleep 0.1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

destroy() {
  local i
  for i in $(existing_hosts); do
    kill_namespace_processes "nimbus-h$i"
    ip netns del "nimbus-h$i"
    ip link del "nimbus-h$i" 2>/dev/null || true
    rm -rf "$state/hosts/h$i" "$state/sshd/h$i/sshd.pid"
  done
  ip link del "$bridge" 2>/dev/null || true
  rm -f "$state/known_hosts"
}

status() {
  local i pid
  for i in $(existing_hosts); do
    if pid=$(sshd_pid "$i"); then
      echo "h$i nimbus-h$i $(address "$i") sshd alive (pid $pid)"
    else
      echo "h$i nimbus-h$i $(address "$i") sshd dead"
    fi
  done
}

((EUID == 0)) || fail "must run as root (it creates network namespaces and a bridge)"
mkdir -p "$state"
# One change at a time: parallel test files may call this together.
exec 9>"$state/.lock"
flock 9

case ${1:-} in
  create) create "${2:-}" ;;
  destroy) destroy ;;
  status) status ;;
  *) fail "usage: $0 create N | destroy | status" ;;
esac
