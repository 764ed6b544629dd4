import type { PublicNotice } from '@protocol/notices.ts';
import { Stars } from '../components/stars.tsx';
import { hoursText } from '../format.ts';
import { useMessages } from '../i18n/index.ts';
import { noticeContact, noticeTitle } from './notice-text.ts';

/** As many names as stay legible across a room; the printed notice carries the full list. */
const ENTRIES_SHOWN = 24;

/** The notice in its notice period, shown on the TV in turn with the live board. */
export function NoticeBoard({ notice }: { notice: PublicNotice }) {
  const messages = useMessages();
  const text = messages.notice;
  const day = messages.dateLong;
  const shown = notice.entries.slice(0, ENTRIES_SHOWN);
  return (
    <main class="notice-board">
      <header class="notice-board-head">
        <div class="notice-board-kicker">{text.boardTitle} · {text.heading}</div>
        <h2 class="notice-board-title">{noticeTitle(messages, notice)}</h2>
        <div class="notice-board-period">
          {text.period(day(notice.period.from), day(notice.period.to))}　{text.noticePeriod(day(notice.startsOn), day(notice.endsOn), notice.workingDays)}
        </div>
      </header>
      <ol class="notice-grid">
        {shown.map((entry, index) => (
          <li key={index} class="notice-card">
            <Stars count={entry.stars} showEmpty={false} />
            <span class="notice-name">{entry.displayName}</span>
            <span class="notice-meta">
              {entry.teamNames[0] ?? ''} · {messages.honour.hours(hoursText(entry.hours, messages.locale))}
            </span>
          </li>
        ))}
      </ol>
      <footer class="notice-board-foot">
        <span>{notice.entries.length > shown.length ? text.more(notice.entries.length - shown.length) : text.count(notice.entries.length)}</span>
        <span>{noticeContact(messages, notice)}</span>
      </footer>
    </main>
  );
}
