#!/bin/bash
# lab-down.sh — stop only what test/lab/lab-up.sh started, by PID files / recorded names.
#   lab-down.sh           destroy+undefine lab domains, stop libvirtd, sshd(s), Xvfb, delete lab taps
#   lab-down.sh --keep    stop domains and daemons but keep definitions and disks
#   lab-down.sh --purge   also delete overlays, libvirt state under $VIRTDECK_LAB_DIR, keys
set -uo pipefail
LAB=${VIRTDECK_LAB_DIR:-/tmp/virtdeck-lab}; L=$LAB/libvirt; MODE=${1:-}
V="virsh -q -c qemu:///system"
log() { printf '[lab-down %s] %s\n' "$(date +%T)" "$*" >&2; }
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
running() { [ -e /proc/$1 ] && [ "$(awk '{print $3}' /proc/$1/stat 2>/dev/null)" != Z ]; }  # zombies count as gone
stop_pidfile() { # $1 pidfile  $2 expected comm
  local f=$1 pid
  [ -s "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null && [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$2" ]; then
    kill "$pid"; for i in $(seq 1 100); do running "$pid" || break; sleep 0.1; done
    running "$pid" && { log "$2 $pid ignored TERM, sending KILL"; kill -9 "$pid"; }
    log "stopped $2 (pid $pid)"
  fi
  rm -f "$f"
}

# 1. domains that lab-up defined
if [ -f $LAB/run/domains ]; then
  for d in $(cat $LAB/run/domains); do
    if alive $L/libvirtd.pid; then
      [ "$($V domstate $d 2>/dev/null)" = running ] || [ "$($V domstate $d 2>/dev/null)" = paused ] && $V destroy $d >/dev/null 2>&1 && log "destroyed $d"
      [ "$MODE" = --keep ] || { $V undefine $d >/dev/null 2>&1 && log "undefined $d"; }
    fi
    # libvirtd gone but qemu left behind: kill it via libvirt's pid file, after checking its cmdline
    qp=/run/libvirt/qemu/$d.pid
    if [ -s $qp ] && tr '\0' ' ' < /proc/$(cat $qp)/cmdline 2>/dev/null | grep -q "guest=$d,"; then
      qpid=$(cat $qp); kill "$qpid" && log "killed orphan qemu for $d (pid $qpid)"
      for i in $(seq 1 50); do running "$qpid" || break; sleep 0.1; done
      # libvirtd was not there to clean up: drop its runtime files and the (now empty) cgroups
      alive $L/libvirtd.pid || rm -f /run/libvirt/qemu/$d.pid /run/libvirt/qemu/$d.xml
      find /sys/fs/cgroup -depth -type d -path "*/machine/qemu-*-$d.libvirt-qemu*" -exec rmdir {} \; 2>/dev/null
    fi
    [ "$MODE" = --keep ] || rm -f $LAB/vms/$d.qcow2 $LAB/vms/$d.xml
  done
  [ "$MODE" = --keep ] || rm -f $LAB/run/domains
fi

# 2. daemons
stop_pidfile $L/libvirtd.pid libvirtd
for f in $LAB/ssh/sshd.*.pid; do [ -e "$f" ] && stop_pidfile "$f" sshd; done
stop_pidfile $LAB/run/xvfb.pid Xvfb

# 3. tap devices lab-up created
if [ -f $LAB/run/taps ]; then
  for t in $(sort -u $LAB/run/taps); do ip link del "$t" 2>/dev/null && log "deleted tap $t"; done
  rm -f $LAB/run/taps
fi

if [ "$MODE" = --purge ]; then
  rm -rf $LAB/vms $L/lib $L/log $L/cache $L/etc/qemu $L/etc/nwfilter $L/etc/secrets $LAB/ssh/*key* $LAB/ssh/authorized_keys $LAB/lab.env
  log "purged lab state"
fi
log "done"
