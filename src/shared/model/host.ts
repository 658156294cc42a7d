// Hosts and their VMs as every layer sees them: configuration, live status, the VM inventory.

/** How VirtDeck reaches a hypervisor. Secrets are never part of this type. */
export interface HostConfig {
  id: string;
  /** Display name; defaults to the address. */
  name: string;
  /** A hostname, an IP address, or a Host alias from the user's ~/.ssh/config. */
  address: string;
  /** SSH port; absent: from ~/.ssh/config, else 22. */
  port?: number;
  /** Remote user; absent: from ~/.ssh/config, else the local user name. */
  user?: string;
  /** Private key file on the machine running VirtDeck; absent: ~/.ssh/config, the agent, defaults. */
  identityFile?: string;
  /** Bastions, ProxyJump syntax `[user@]host[:port][,…]`; absent: from ~/.ssh/config. */
  jump?: string;
  /** Libvirt connection URI, always passed to virsh with -c. */
  uri: string;
  /** Collection interval in seconds. */
  intervalSec: number;
  /** How long one cycle may take before the host counts as unreachable, seconds. */
  timeoutSec: number;
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
  /** Libvirt's UUID: a VM's identity (names can change). Null until known. */
  uuid: string | null;
  /** Libvirt domain id while running, else null. */
  domId: number | null;
  name: string;
  state: VmState;
}

/** A host key that VirtDeck has not been told to trust yet, awaiting the user's decision. */
export interface PendingHostKey {
  /** Which server presented it: the host itself or one of its jump hosts. */
  host: string;
  port: number;
  algorithm: string;
  /** `SHA256:` + unpadded base64, exactly as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

export interface HostView {
  config: HostConfig;
  status: HostStatus;
  /** Why the status is what it is, in words an admin can act on. */
  reason: string | null;
  /** Where SSH actually goes after ~/.ssh/config: user@address:port, and any bastions. */
  resolved: string | null;
  /** Lines of host output the parsers could not read (latest cycle). */
  warnings: string[];
  /** Epoch ms of the last successful poll, or null. */
  lastSeen: number | null;
  pendingHostKey: PendingHostKey | null;
  vms: VmSummary[];
  /** Which secrets VirtDeck holds for this host this session (never their values). */
  secrets?: { password: boolean; passphrase: boolean };
  /**
   * The last login failed, and a secret could get in: the key file is encrypted and its
   * passphrase is missing or wrong, or the server accepts a password (none held, or a wrong one).
   * The UI asks for it (this session; the desktop app may keep it encrypted).
   */
  needsSecret?: 'password' | 'passphrase' | null;
}
