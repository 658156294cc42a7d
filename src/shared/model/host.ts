// Hosts and their VMs as every layer sees them: configuration, live status, the VM inventory.

/** How VirtDeck reaches a hypervisor. Secrets are never part of this type. */
export interface HostConfig {
  id: string;
  /** Display name; defaults to the address. */
  name: string;
  address: string;
  port: number;
  user: string;
  /** Private key file on the machine running VirtDeck. */
  identityFile?: string;
  /** Libvirt connection URI, always passed to virsh with -c. */
  uri: string;
  /** Collection interval in seconds. */
  intervalSec: number;
  enabled: boolean;
  /** True for hosts of the built-in demo fleet (simulated, never a real hypervisor). */
  simulated: boolean;
}

export const HOST_STATUSES = [
  'connecting',
  'ok',
  'unreachable',
  'degraded',
  'stale',
  'hostkey-unknown',
  'hostkey-mismatch',
  'disabled',
] as const;
export type HostStatus = (typeof HOST_STATUSES)[number];

/** Libvirt domain states as `virsh` names them. */
export const VM_STATES = [
  'running',
  'idle',
  'paused',
  'in shutdown',
  'shut off',
  'crashed',
  'pmsuspended',
  'unknown',
] as const;
export type VmState = (typeof VM_STATES)[number];

export interface VmSummary {
  hostId: string;
  /** Libvirt domain id while running, else null. */
  domId: number | null;
  name: string;
  state: VmState;
}

/** A host key that VirtDeck has not been told to trust yet, awaiting the user's decision. */
export interface PendingHostKey {
  algorithm: string;
  /** `SHA256:` + unpadded base64, exactly as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

export interface HostView {
  config: HostConfig;
  status: HostStatus;
  /** Why the status is what it is, in words an admin can act on. */
  reason: string | null;
  /** Epoch ms of the last successful poll, or null. */
  lastSeen: number | null;
  pendingHostKey: PendingHostKey | null;
  vms: VmSummary[];
}
