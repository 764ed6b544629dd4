import { dayKey } from '../domain/time-zone.ts';
import type { Notice, PublicNotice } from '../protocol/notices.ts';
import type { NoticeSummary, NoticeView } from '../protocol/views.ts';
import type { StationState } from '../store/state.ts';
import { displayNameOf } from '../volunteers/figures.ts';
import { listed, openObjections } from './notice-rules.ts';

/** What staff review: every entry (removed ones too) with the full name and card number, and the objections. */
export function staffNoticeView(state: StationState, notice: Notice): NoticeView {
  const person = (volunteerId: string) => {
    const volunteer = state.get('volunteers', volunteerId);
    return { name: volunteer?.name ?? '', cardNo: volunteer?.cardNo ?? '', displayName: volunteer ? displayNameOf(state, volunteer) : '' };
  };
  return {
    ...notice,
    entries: notice.entries.map((entry) => ({ ...entry, ...person(entry.volunteerId) })),
    objections: notice.objections.map((objection) => ({ ...objection, volunteer: person(objection.volunteerId) })),
    listedCount: listed(notice).length,
    openObjections: openObjections(notice).length,
  };
}

export function noticeSummary(notice: Notice): NoticeSummary {
  const { entries: _entries, objections: _objections, ...rest } = notice;
  return { ...rest, listedCount: listed(notice).length, openObjections: openObjections(notice).length };
}

/** The notice as the public sees it: masked names, teams, hours, stars. Null while it is not (or no longer) public. */
export function publicNoticeView(state: StationState, notice: Notice): PublicNotice | null {
  if ((notice.status !== 'published' && notice.status !== 'final') || !notice.published) return null;
  return {
    id: notice.id,
    kind: notice.kind,
    ...(notice.title ? { title: notice.title } : {}),
    centerName: state.settings.centerName,
    period: notice.period,
    basis: notice.basis,
    ...(notice.contact ? { contact: notice.contact } : {}),
    status: notice.status,
    publishedAt: notice.published.at,
    workingDays: notice.published.workingDays,
    startsOn: notice.published.startsOn,
    endsOn: notice.published.endsOn,
    ...(notice.finalAt ? { finalAt: notice.finalAt, finalOn: dayKey(notice.finalAt, state.settings.timeZone) } : {}),
    entries: listed(notice).map((entry) => {
      const volunteer = state.get('volunteers', entry.volunteerId);
      return { displayName: volunteer ? displayNameOf(state, volunteer) : '—', teamNames: entry.teamNames, hours: entry.hours, stars: entry.stars };
    }),
  };
}

/** The notice a board shows: the latest one whose notice period is running now. */
export function noticeOnBoard(state: StationState, now: Date): PublicNotice | null {
  let current: Notice | undefined;
  for (const notice of state.records.notices.values()) {
    if (notice.status !== 'published' || !notice.published || now.getTime() >= Date.parse(notice.published.endsAt)) continue;
    if (!current || notice.published.at > current.published!.at) current = notice;
  }
  return current ? publicNoticeView(state, current) : null;
}
