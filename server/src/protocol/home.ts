import type { Activity } from './model.ts';

/**
 * The admin's home page after login (issue 12): today at a glance, what waits for staff, and the
 * first-run checklist, every item read from the real state.
 */

export type ChecklistStep = 'center' | 'volunteers' | 'cards' | 'kiosk' | 'activity';

export interface HomeView {
  /** The center's day, YYYY-MM-DD. */
  today: string;
  activities: (Activity & {
    attendanceCount: number;
    onSite: { volunteerId: string; name: string; checkInAt: string }[];
  })[];
  queues: {
    /** Sign-ins closed by the server at an activity's end, awaiting a look. */
    attendanceReview: number;
    /** 随手拍 waiting for a review. */
    snapsPending: number;
    /** Service requests not yet dispatched. */
    requestsOpen: number;
  };
  lowStock: { id: string; name: string; stock: number; lowStockThreshold: number }[];
  expiring: {
    /** Within this many days from today. */
    withinDays: number;
    insurance: { id: string; insurer: string; policyNo: string; to: string; people: number }[];
    trainings: { volunteerId: string; name: string; category: string; validUntil: string }[];
  };
  /** In the order a new center goes through them; `done` is read from the state, never ticked by hand. */
  checklist: { step: ChecklistStep; done: boolean }[];
}
