import type { AuditDetails, AuditEntry } from './protocol/model.ts';
import type { Change } from './store/state.ts';
import { newId } from './ids.ts';

/** Who did something: `staff:<username>`, `device:<id>` or `system`. */
export type Actor = string;

/** An audit entry to commit together with the change it describes, so neither exists without the other. */
export function auditChange(at: Date, actor: Actor, action: string, target?: string, summary?: string, details?: AuditDetails): Change {
  const entry: AuditEntry = { id: newId(), at: at.toISOString(), actor, action, target, summary, ...(details ? { details } : {}) };
  return { c: 'audit', v: entry };
}
