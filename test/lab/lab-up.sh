#!/bin/bash
# lab-up.sh — VirtDeck's test lab: a real "hypervisor host" on this machine, without systemd:
# OpenSSH sshd on loopback ports with its own host key, libvirtd + QEMU (TCG) running tiny guests
# with tap NICs, users root and vdmon (group libvirt). Used by the integration and e2e tests.
#
#   test/lab/lab-up.sh [N_DOMAINS] [SSH_PORTS]        e.g.  lab-up.sh 3 2222,2223
#
# Env knobs (defaults in brackets):
#   VIRTDECK_LAB_DIR [/tmp/virtdeck-lab]  where everything lives (keys, configs, disks, lab.env)
#   LAB_VMS [3]            number of tiny TCG domains lab-vm01..NN to define+start
#   LAB_SSH_PORTS [24022]   comma list of ports for separate sshd instances (127.0.0.1 only)
#   LAB_NET [tap]          NIC of each domain: tap (unmanaged tap labtapNN, IPv6 off, no IP: gives
#                          net.0.* stats, no traffic) | user (slirp, no host-side stats) | none
#   LAB_MEM_MIB [48]       guest RAM
#   LAB_START [1]          0 = define only, leave domains shut off
#   LAB_GUI [0]            1 = also start Xvfb on :99 (chromium is always installed: e2e needs it)
#   LAB_NO_INSTALL [0]     1 = never call apt-get
#   LAB_CGROUPS [1]        0 = qemu.conf cgroup_controllers = [ ] (fallback if cgroup setup fails)
#
# Everything lives under $VIRTDECK_LAB_DIR except what the daemons insist on: /run/sshd (privsep dir),
# /run/libvirt (sockets, qemu runtime), cgroups under /sys/fs/cgroup/*/machine, tap devices.
# libvirtd and sshd run in private mount namespaces where /etc/libvirt, /etc/passwd, /etc/group
# and /var/{lib,log,cache}/libvirt are bind-mounted from $VIRTDECK_LAB_DIR, so nothing in /etc is changed.
# Idempotent: re-running skips what is already running.
set -euo pipefail

LAB=${VIRTDECK_LAB_DIR:-/tmp/virtdeck-lab}
N=${1:-${LAB_VMS:-3}}
PORTS=${2:-${LAB_SSH_PORTS:-24022}}
NET=${LAB_NET:-tap}
MEM=${LAB_MEM_MIB:-48}
START=${LAB_START:-1}
GUI=${LAB_GUI:-0}
URI=qemu:///system
V="virsh -q -c $URI"
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

log() { printf '[lab-up %s] %s\n' "$(date +%T)" "$*" >&2; }
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
T0=$(date +%s.%N)

mkdir -p $LAB/ssh $LAB/libvirt/{etc,lib,log,cache} $LAB/vms $LAB/run $LAB/home/vdmon

# ---------------------------------------------------------------- 1. packages
PKGS="openssh-server openssh-client libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86 qemu-utils chromium iproute2 bc prometheus-alertmanager prometheus genisoimage"
[ "$GUI" = 1 ] && PKGS="$PKGS xvfb"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  [ "${LAB_NO_INSTALL:-0}" = 1 ] && { log "missing packages:$missing (LAB_NO_INSTALL=1)"; exit 1; }
  log "apt-get install:$missing"
  # policy-rc.d (exit 101) on these machines keeps postinst from starting services.
  apt-get install -y --no-install-recommends $missing >$LAB/run/apt.log 2>&1 \
    || { apt-get update >>$LAB/run/apt.log 2>&1; apt-get install -y --no-install-recommends $missing >>$LAB/run/apt.log 2>&1; }
fi

# ---------------------------------------------------------------- 2. users/groups (lab copies)
# libvirt (Debian build) resolves user 'libvirt-qemu' before reading qemu.conf, so it must exist
# in the /etc/passwd that libvirtd sees; 'vdmon' is a non-root ssh user in group 'libvirt'.
free_id() { local id=$1 f=$2; while cut -d: -f3 "$f" | grep -qx "$id"; do id=$((id+1)); done; echo "$id"; }
# build into temp files and mv (new inode): namespaces of running daemons keep their old copy intact
PW=$LAB/run/passwd.new; GR=$LAB/run/group.new
cp /etc/passwd $PW; cp /etc/group $GR
addgrp() { grep -q "^$1:" $GR || echo "$1:x:$(free_id ${2} $GR):${3:-}" >> $GR; }
addgrp libvirt-qemu 64055; addgrp kvm 64056; addgrp libvirt 64057 vdmon
QGID=$(awk -F: '$1=="libvirt-qemu"{print $3}' $GR)
grep -q '^libvirt-qemu:' $PW || echo "libvirt-qemu:x:$(free_id 64055 $PW):$QGID:Libvirt Qemu (lab):/var/lib/libvirt:/usr/sbin/nologin" >> $PW
LGID=$(awk -F: '$1=="libvirt"{print $3}' $GR)
grep -q '^vdmon:' $PW || echo "vdmon:x:$(free_id 64100 $PW):$LGID:lab monitor:$LAB/home/vdmon:/bin/sh" >> $PW
# make sure vdmon is a member of 'libvirt' even if that group pre-existed
awk -F: -v OFS=: '$1=="libvirt" && $4 !~ /(^|,)vdmon(,|$)/ {$4 = ($4=="" ? "vdmon" : $4",vdmon")} 1' $GR > $GR.2 && mv $GR.2 $GR
chmod 644 $PW $GR; mv $PW $LAB/run/passwd; mv $GR $LAB/run/group

# ---------------------------------------------------------------- 3. sshd(s)
cd $LAB/ssh
[ -f host_ed25519_key ] || ssh-keygen -q -t ed25519 -N '' -C virtdeck-lab-host -f host_ed25519_key
[ -f client_key ] || ssh-keygen -q -t ed25519 -N '' -C virtdeck-lab-client -f client_key
cp client_key.pub authorized_keys; chmod 644 authorized_keys
mkdir -p /run/sshd && chmod 755 /run/sshd
IFS=, read -ra PORTARR <<< "$PORTS"
for port in "${PORTARR[@]}"; do
  pidf=$LAB/ssh/sshd.$port.pid
  if alive $pidf; then
    # its private /etc/passwd is a bind mount; a package that adds a user on the host (apt's
    # adduser renames a new /etc/passwd into place) can take it away: then start it afresh
    if nsenter -t "$(cat $pidf)" -m grep -q '^vdmon:' /etc/passwd 2>/dev/null; then
      log "sshd :$port already running (pid $(cat $pidf))"; continue
    fi
    log "sshd :$port lost the lab's users (host /etc/passwd replaced?): restarting it"
    kill "$(cat $pidf)" 2>/dev/null || true
    for i in $(seq 1 50); do alive $pidf || break; sleep 0.1; done
    rm -f $pidf
  fi
  cat > sshd_config.$port <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $LAB/ssh/host_ed25519_key
PidFile $pidf
AuthorizedKeysFile $LAB/ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers root vdmon
UsePAM no
StrictModes no
PrintMotd no
PrintLastLog no
UseDNS no
MaxStartups 100:30:200
MaxSessions 64
LogLevel INFO
Subsystem sftp internal-sftp
EOF
  /usr/sbin/sshd -t -f sshd_config.$port
  unshare -m --propagation private sh -c "
    mount --bind $LAB/run/passwd /etc/passwd && mount --bind $LAB/run/group /etc/group &&
    exec /usr/sbin/sshd -f $LAB/ssh/sshd_config.$port -E $LAB/ssh/sshd.$port.log"
  for i in $(seq 1 50); do alive $pidf && break; sleep 0.1; done
  alive $pidf || { log "sshd :$port failed, see $LAB/ssh/sshd.$port.log"; exit 1; }
  log "sshd :$port started (pid $(cat $pidf))"
done

# ---------------------------------------------------------------- 4. libvirtd
L=$LAB/libvirt
cp -n /etc/libvirt/libvirt.conf /etc/libvirt/libvirt-admin.conf $L/etc/ 2>/dev/null || true
cat > $L/etc/libvirtd.conf <<EOF
listen_tls = 0
listen_tcp = 0
unix_sock_group = "libvirt"
unix_sock_rw_perms = "0770"
unix_sock_ro_perms = "0777"
auth_unix_rw = "none"
auth_unix_ro = "none"
log_level = 3
log_outputs = "${LAB_LIBVIRT_LOGLEVEL:-3}:file:$L/libvirtd.log"
${LAB_LIBVIRT_LOG_FILTERS:+log_filters = \"$LAB_LIBVIRT_LOG_FILTERS\"}
EOF
{
  echo '# lab: QEMU runs as root, no DAC relabelling, no apparmor/selinux, no virtlogd'
  echo 'user = "root"'; echo 'group = "root"'
  echo 'dynamic_ownership = 0'; echo 'remember_owner = 0'
  echo 'security_driver = "none"'; echo 'stdio_handler = "file"'
  [ "${LAB_CGROUPS:-1}" = 0 ] && echo 'cgroup_controllers = [ ]'
} > $L/etc/qemu.conf
# like sshd: a libvirtd whose private /etc/passwd is gone cannot tell who vdmon is; restart it
# (running guests carry on: libvirtd reconnects to their QEMU processes)
if alive $L/libvirtd.pid && ! nsenter -t "$(cat $L/libvirtd.pid)" -m grep -q '^vdmon:' /etc/passwd 2>/dev/null; then
  log "libvirtd lost the lab's users (host /etc/passwd replaced?): restarting it"
  kill "$(cat $L/libvirtd.pid)" 2>/dev/null || true
  for i in $(seq 1 100); do alive $L/libvirtd.pid || break; sleep 0.1; done
fi
if alive $L/libvirtd.pid; then
  log "libvirtd already running (pid $(cat $L/libvirtd.pid))"
else
  rm -f $L/libvirtd.pid
  unshare -m --propagation private sh -c "
    set -e
    mount --bind $L/etc /etc/libvirt
    mount --bind $LAB/run/passwd /etc/passwd
    mount --bind $LAB/run/group /etc/group
    mkdir -p /var/lib/libvirt /var/log/libvirt /var/cache/libvirt
    mount --bind $L/lib /var/lib/libvirt
    mount --bind $L/log /var/log/libvirt
    mount --bind $L/cache /var/cache/libvirt
    exec /usr/sbin/libvirtd -d --config $L/etc/libvirtd.conf --pid-file $L/libvirtd.pid"
  for i in $(seq 1 150); do $V uri >/dev/null 2>&1 && break; sleep 0.1; done
  $V uri >/dev/null || { log "libvirtd not answering, see $L/libvirtd.log"; exit 1; }
  log "libvirtd started (pid $(cat $L/libvirtd.pid))"
fi

# ---------------------------------------------------------------- 5. domains
cd $LAB/vms
[ -f base.qcow2 ] || qemu-img create -q -f qcow2 base.qcow2 64M
: > $LAB/run/domains
for i in $(seq 1 "$N"); do
  nn=$(printf '%02d' $i); name=lab-vm$nn; tap=labtap$nn
  echo $name >> $LAB/run/domains
  [ -f $name.qcow2 ] || qemu-img create -q -f qcow2 -b $LAB/vms/base.qcow2 -F qcow2 $name.qcow2
  case $NET in
    tap)  if ! ip link show $tap >/dev/null 2>&1; then
            ip tuntap add dev $tap mode tap
            echo $tap >> $LAB/run/taps
            sysctl -qw net.ipv6.conf.$tap.disable_ipv6=1
            ip link set $tap up
          fi
          nic="<interface type='ethernet'><mac address='52:54:00:1a:b0:$nn'/><target dev='$tap' managed='no'/><model type='virtio'/></interface>";;
    user) nic="<interface type='user'><mac address='52:54:00:1a:b0:$nn'/><model type='virtio'/></interface>";;
    *)    nic="";;
  esac
  if ! $V dominfo $name >/dev/null 2>&1; then
    cat > $name.xml <<EOF
<domain type='qemu'>
  <name>$name</name>
  <title>lab tiny TCG guest</title>
  <memory unit='MiB'>$MEM</memory>
  <currentMemory unit='MiB'>$MEM</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <features><acpi/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$LAB/vms/$name.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    $nic
    <serial type='null'/>
    <video><model type='none'/></video>
    <memballoon model='virtio'><stats period='5'/></memballoon>
  </devices>
</domain>
EOF
    $V define $name.xml >/dev/null
  fi
  if [ "$START" = 1 ] && [ "$($V domstate $name)" != running ]; then
    $V start $name >/dev/null
  fi
done

# ---------------------------------------------------------------- 6. optional Xvfb
if [ "$GUI" = 1 ]; then
  if alive $LAB/run/xvfb.pid; then :; else
    Xvfb :99 -screen 0 1280x800x24 -nolisten tcp >$LAB/run/xvfb.log 2>&1 & echo $! > $LAB/run/xvfb.pid
    for i in $(seq 1 50); do [ -e /tmp/.X11-unix/X99 ] && break; sleep 0.1; done
  fi
fi

# ---------------------------------------------------------------- 7. report
SSHOPTS="-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"
cat > $LAB/lab.env <<EOF
LAB_SSH_HOST=127.0.0.1
LAB_SSH_PORTS=$PORTS
LAB_SSH_USERS="root vdmon"
LAB_SSH_KEY=$LAB/ssh/client_key
LAB_SSH_HOST_PUBKEY=$LAB/ssh/host_ed25519_key.pub
LAB_LIBVIRT_URI=$URI
LAB_DOMAINS="$(tr '\n' ' ' < $LAB/run/domains | sed 's/ $//')"
LAB_LIBVIRTD_PID=$(cat $L/libvirtd.pid)
LAB_SSHD_PIDS="$(for p in "${PORTARR[@]}"; do printf '%s ' "$(cat $LAB/ssh/sshd.$p.pid)"; done | sed 's/ $//')"
EOF
T1=$(date +%s.%N)
echo "=== lab up in $(printf '%.1f' "$(echo "$T1 - $T0" | bc)") s ==="
cat $LAB/lab.env
echo "try:  ssh $SSHOPTS -i $LAB/ssh/client_key -p ${PORTARR[0]} vdmon@127.0.0.1 'virsh -c $URI list --all'"
$V list --all
