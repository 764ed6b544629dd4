import type { Attendance } from '../protocol/model.ts';

/** Still signed in: not signed out, not removed. */
export function isOpen(attendance: Attendance): boolean {
  return !attendance.checkOutAt && !attendance.removed;
}

/** Creditable minutes an attendance contributes: nothing while open or once removed. */
export function countedMinutes(attendance: Attendance): number {
  return attendance.removed ? 0 : (attendance.creditedMinutes ?? 0);
}
