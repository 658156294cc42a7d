// libvirt's numeric domain states and state reasons (as `domstats` prints them) turned into
// VirtDeck's VmState and the reason names of libvirt's own enums in libvirt-domain.h.
import type { VmState } from '../../shared/model/host';

/** virDomainState, indexed by its value. */
const STATES: readonly VmState[] = [
  'unknown', // 0 VIR_DOMAIN_NOSTATE
  'running', // 1 VIR_DOMAIN_RUNNING
  'idle', // 2 VIR_DOMAIN_BLOCKED: `virsh list` says "idle" for it, and so do we
  'paused', // 3 VIR_DOMAIN_PAUSED
  'in shutdown', // 4 VIR_DOMAIN_SHUTDOWN
  'shut off', // 5 VIR_DOMAIN_SHUTOFF
  'crashed', // 6 VIR_DOMAIN_CRASHED
  'pmsuspended', // 7 VIR_DOMAIN_PMSUSPENDED
];

/**
 * The reason enums per state (virDomainNostateReason … virDomainPMSuspendedReason), each name
 * being the enum constant's suffix in lower case (VIR_DOMAIN_PAUSED_IOERROR → 'ioerror'), not
 * virsh's translated wording ("I/O error"), so that the names are stable across locales and
 * virsh versions. Complete as of libvirt 9.2 (paused 'api_error').
 */
const REASONS: readonly (readonly string[])[] = [
  ['unknown'],
  [
    'unknown',
    'booted',
    'migrated',
    'restored',
    'from_snapshot',
    'unpaused',
    'migration_canceled',
    'save_canceled',
    'wakeup',
    'crashed',
    'postcopy',
    'postcopy_failed',
  ],
  ['unknown'],
  [
    'unknown',
    'user',
    'migration',
    'save',
    'dump',
    'ioerror',
    'watchdog',
    'from_snapshot',
    'shutting_down',
    'snapshot',
    'crashed',
    'starting_up',
    'postcopy',
    'postcopy_failed',
    'api_error',
  ],
  ['unknown', 'user'],
  ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from_snapshot', 'daemon'],
  ['unknown', 'panicked'],
  ['unknown'],
];

/** VmState for a virDomainState number; anything not a known state (or null) is 'unknown'. */
export function vmStateFromCode(code: number | null): VmState {
  return (code === null ? undefined : STATES[code]) ?? 'unknown';
}

/**
 * libvirt's name for `reason` within `state` (both as domstats prints them: state.state and
 * state.reason). Unknown states, unknown reasons (a newer libvirt) and nulls give 'unknown'.
 */
export function stateReasonName(state: number | null, reason: number | null): string {
  if (state === null || reason === null) return 'unknown';
  return REASONS[state]?.[reason] ?? 'unknown';
}
