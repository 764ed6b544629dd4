import type { PublicNotice } from '@protocol/notices.ts';
import type { Messages } from '../i18n/index.ts';

/** The notice's heading: the staff's own, or one worded from its kind and period. */
export function noticeTitle(messages: Messages, notice: PublicNotice): string {
  return notice.title ?? messages.notice.defaultTitle(notice.kind, notice.period.to.slice(0, 4));
}

export function noticeContact(messages: Messages, notice: PublicNotice): string {
  return notice.contact ? `${messages.notice.contactLabel}${notice.contact}` : messages.notice.defaultContact(notice.centerName);
}

export function hoursHeader(messages: Messages, notice: PublicNotice): string {
  return notice.basis === 'lifetime' ? messages.notice.columns.hoursLifetime : messages.notice.columns.hoursYear;
}
