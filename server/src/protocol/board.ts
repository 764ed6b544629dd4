import type { BoardSnaps } from './me.ts';
import type { AttendanceChanged } from './events.ts';
import type { PublicNotice } from './notices.ts';

/**
 * `GET /api/board`: everything the live board shows, as one public payload (masked names,
 * teams, stars, counts; never a phone, ID number or, unless the center chose full public
 * names, a full name). Live `attendance:changed` events patch it between fetches.
 */

export interface BoardPerson {
  volunteerId: string;
  displayName: string;
  teamNames: string[];
  stars: number;
  /** Sign-in time. */
  since: string;
}

export interface BoardActivity {
  id: string;
  title: string;
  place?: string;
  startsAt: string;
  endsAt: string;
  onSite: number;
  /** Newest first, at most BOARD_LIMITS.peoplePerActivity; `onSite` is the true count. */
  people: BoardPerson[];
}

/** One line of the live feed; a live event carries the same facts. */
export interface BoardFeedItem {
  attendanceId: string;
  action: AttendanceChanged['action'];
  at: string;
  activityId: string;
  activityTitle: string;
  volunteer: AttendanceChanged['volunteer'];
}

export interface BoardTeamStanding {
  teamId: string;
  name: string;
  hours: number;
  /** Team members who served this month. */
  volunteers: number;
}

export interface BoardHonour {
  volunteerId: string;
  displayName: string;
  teamNames: string[];
  stars: number;
  /** Hours in the center's star period. */
  hours: number;
}

export interface BoardState {
  centerName: string;
  timeZone: string;
  defaultLanguage: 'zh-CN' | 'en';
  generatedAt: string;
  /** Day and month in the center's zone that `hours` refer to. */
  today: string;
  month: string;
  /** The server's live counter (ctx.live.boardVersion): an event with version n follows state n − 1. */
  version: number;
  /** A digest of everything below but `generatedAt` and `version`: equal hashes, equal boards. */
  stateHash: string;
  stars: { period: 'lifetime' | 'calendarYear'; thresholds: number[] };
  onSiteTotal: number;
  activities: BoardActivity[];
  /** Creditable hours of attendances signed in today / this month, and who served today. */
  hours: { today: number; month: number };
  volunteersToday: number;
  feed: BoardFeedItem[];
  teams: BoardTeamStanding[];
  honourRoll: BoardHonour[];
  /** Volunteers whose star rose this month (star period hours before the month vs now). */
  newStars: (BoardHonour & { previousStars: number })[];
  /** The notice in its notice period (or final within the last days), for the board's notice view. */
  notice: PublicNotice | null;
  /** Today's newest redemptions (voided ones left out); absent unless settings.board.showRedemptions. */
  redemptions?: BoardRedemption[];
  /** 随手拍 (issue 14): this month's count and the latest handled reports, category and place only. */
  snaps?: BoardSnaps;
}

/** One line of the public redemption list: what and when, never a card number, phone or ID. */
export interface BoardRedemption {
  redemptionId: string;
  displayName: string;
  /** "大米×1" per line, in the order of the receipt. */
  items: string[];
  points: number;
  at: string;
}

/** Caps that keep the payload and a board left open for a week bounded. */
export const BOARD_LIMITS = {
  peoplePerActivity: 120,
  feed: 20,
  teams: 10,
  honourRoll: 30,
  newStars: 20,
  redemptions: 10,
} as const;
