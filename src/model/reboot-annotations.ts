/**
 * The annotations the aksguard reboot daemon reads and writes, defined once: the daemon (src/reboot) writes them and
 * the scanner's rules read them. They live in the model because rules may import only the model.
 */

/** On a Node: since when (RFC 3339) it has waited for a reboot; removed after a verified reboot. */
export const REBOOT_REQUIRED_SINCE = 'aksguard.io/reboot-required-since';

/** On a Node: the daemon's record of the reboot in progress (JSON: phase, owner, bootID before, …). */
export const REBOOT_STATE = 'aksguard.io/reboot-state';

/** On a Node, set by an operator: any value holds this node's reboot back. */
export const REBOOT_BLOCKED = 'aksguard.io/reboot-blocked';

/** On a Node, set by an operator: `"true"` means its cordon is accepted and does not make it count as unavailable. */
export const IGNORE_CORDON = 'aksguard.io/ignore-cordon';

/** On the `aksguard-reboot` Lease: the holders of reboot slots (JSON list of node, pool, zone, pod, heartbeat). */
export const REBOOT_HOLDERS = 'aksguard.io/reboot-holders';
