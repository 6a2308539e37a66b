import { REBOOT_STATE } from '../model/reboot-annotations.js';

/**
 * The node's own record of a reboot in progress, in the `aksguard.io/reboot-state` annotation. It lives on the
 * Node, not in the lock, so a restarted daemon resumes where the last one stopped.
 */

/**
 * `draining` and `rebooting` are the active phases. `verified`: rebooted and verified while the sentinel stayed
 * (the loop guard counts these). `failed`: the drain timed out; retried in a later window. `stopped`: the loop
 * guard gave up on this node until someone removes the annotation.
 */
export type Phase = 'draining' | 'rebooting' | 'verified' | 'failed' | 'stopped';

/** The daemon pod that acts on the node; another pod takes over only once this one no longer exists. */
export interface Owner {
  readonly pod: string;
  readonly uid: string;
}

export interface RebootState {
  readonly phase: Phase;
  /** RFC 3339. */
  readonly startedAt: string;
  readonly preCordoned: boolean;
  readonly bootIdBefore: string;
  /** Reboots in a row for this sentinel, this one included. */
  readonly attempt: number;
  readonly owner?: Owner;
  readonly reason?: string;
  /** RFC 3339: when a failed attempt ended (a retry waits for a later window). */
  readonly endedAt?: string;
}

const PHASES: readonly Phase[] = ['draining', 'rebooting', 'verified', 'failed', 'stopped'];

export const isActive = (state: RebootState | undefined): boolean =>
  state?.phase === 'draining' || state?.phase === 'rebooting';

/** The recorded state; an unreadable annotation (edited by hand) counts as none, as kured treats a bad lock. */
export function readState(annotations: Readonly<Record<string, string>>): RebootState | undefined {
  const text = annotations[REBOOT_STATE];
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<RebootState>;
    if (!value || !PHASES.includes(value.phase as Phase)) return undefined;
    const owner = value.owner;
    return {
      phase: value.phase as Phase,
      startedAt: String(value.startedAt ?? ''),
      preCordoned: value.preCordoned === true,
      bootIdBefore: String(value.bootIdBefore ?? ''),
      attempt: typeof value.attempt === 'number' ? value.attempt : 1,
      ...(owner && typeof owner.uid === 'string' ? { owner: { pod: String(owner.pod ?? ''), uid: owner.uid } } : {}),
      ...(typeof value.reason === 'string' ? { reason: value.reason } : {}),
      ...(typeof value.endedAt === 'string' ? { endedAt: value.endedAt } : {}),
    };
  } catch {
    return undefined;
  }
}

export const writeState = (state: RebootState | undefined): Record<string, string | null> => ({
  [REBOOT_STATE]: state === undefined ? null : JSON.stringify(state),
});
