// What the user did to which VM through VirtDeck, recently (in memory): the warn engine asks it
// so that a VM stopped or paused on purpose does not raise an alert.
import type { VmAction } from '../../shared/model/task';

export interface UserAction {
  action: VmAction;
  /** Epoch ms when VirtDeck started the action. */
  at: number;
}

/** The interface the warn engine depends on. */
export interface UserActionLog {
  recordUserAction(hostId: string, vmUuid: string, action: VmAction, at: number): void;
  /** The latest action on that VM within the log's window, or null. */
  recentAction(hostId: string, vmUuid: string): UserAction | null;
}

/** Keeps the latest action per VM for `windowMs` (default one hour), at most `max` VMs. */
export class MemoryUserActionLog implements UserActionLog {
  private readonly byVm = new Map<string, UserAction>();

  constructor(
    private readonly windowMs = 3_600_000,
    private readonly now: () => number = Date.now,
    private readonly max = 100_000,
  ) {}

  recordUserAction(hostId: string, vmUuid: string, action: VmAction, at: number): void {
    const key = `${hostId}|${vmUuid}`;
    this.byVm.delete(key); // re-insert: the Map's order is oldest first
    this.byVm.set(key, { action, at });
    for (const k of this.byVm.keys()) {
      if (this.byVm.size <= this.max) break;
      this.byVm.delete(k);
    }
  }

  recentAction(hostId: string, vmUuid: string): UserAction | null {
    const a = this.byVm.get(`${hostId}|${vmUuid}`);
    return a && this.now() - a.at <= this.windowMs ? a : null;
  }
}
