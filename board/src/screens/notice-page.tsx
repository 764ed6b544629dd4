import { useEffect, useState } from 'preact/hooks';
import type { PublicNotice } from '@protocol/notices.ts';
import { fetchPublicNotice, RequestFailed } from '../access.ts';
import { Stars } from '../components/stars.tsx';
import { hoursText } from '../format.ts';
import { catalogs, chooseLanguage, MessagesContext, type Messages } from '../i18n/index.ts';
import { hoursHeader, noticeContact, noticeTitle } from './notice-text.ts';

/**
 * The printable A4 notice (公示) for the notice board at `/board/notice/<id>`: public, as it
 * shows masked names only. The browser's print dialog (or page.pdf) lays it out on A4.
 */
export function NoticePage({ id }: { id: string }) {
  const [notice, setNotice] = useState<PublicNotice | null>(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    fetchPublicNotice(id).then(setNotice, (error: unknown) => setMissing(error instanceof RequestFailed));
  }, [id]);
  const messages = catalogs[chooseLanguage(undefined)];
  useEffect(() => {
    document.documentElement.lang = messages.htmlLang;
    document.body.className = 'print-body';
    if (notice) document.title = `${messages.notice.heading} · ${noticeTitle(messages, notice)}`;
  }, [notice, messages]);

  return (
    <MessagesContext.Provider value={messages}>
      <div class="print-toolbar">
        <button type="button" onClick={() => window.print()} disabled={!notice}>{messages.notice.print}</button>
      </div>
      {missing && <p class="sheet sheet-message">{messages.notice.notFound}</p>}
      {notice && <NoticeSheet notice={notice} messages={messages} />}
    </MessagesContext.Provider>
  );
}

function NoticeSheet({ notice, messages }: { notice: PublicNotice; messages: Messages }) {
  const text = messages.notice;
  const day = messages.dateLong;
  return (
    <article class="sheet" data-ready="true">
      <div class="sheet-center">{notice.centerName}</div>
      <h1>{text.heading}</h1>
      <div class="sheet-subtitle">{noticeTitle(messages, notice)}</div>
      <p class="sheet-intro">{text.intro(notice.centerName, day(notice.period.from), day(notice.period.to))}</p>
      <p class="sheet-line">{text.period(day(notice.period.from), day(notice.period.to))}</p>
      <table class="sheet-table">
        <thead>
          <tr>
            <th class="col-index">{text.columns.index}</th>
            <th class="col-name">{text.columns.name}</th>
            <th>{text.columns.team}</th>
            <th class="col-hours">{hoursHeader(messages, notice)}</th>
            <th class="col-stars">{text.columns.stars}</th>
          </tr>
        </thead>
        <tbody>
          {notice.entries.map((entry, index) => (
            <tr key={index}>
              <td class="col-index">{index + 1}</td>
              <td class="col-name">{entry.displayName}</td>
              <td>{entry.teamNames.join('、')}</td>
              <td class="col-hours">{hoursText(entry.hours, messages.locale)}</td>
              <td class="col-stars"><Stars count={entry.stars} showEmpty={false} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="sheet-count">{text.count(notice.entries.length)}</p>
      <p class="sheet-line sheet-strong">{text.noticePeriod(day(notice.startsOn), day(notice.endsOn), notice.workingDays)}</p>
      <p class="sheet-line">{text.objection}</p>
      <p class="sheet-line sheet-strong">{noticeContact(messages, notice)}</p>
      <p class="sheet-note">{text.privacy}</p>
      {notice.status === 'final' && notice.finalOn && <p class="sheet-line sheet-final">{text.final(day(notice.finalOn))}</p>}
      <div class="sheet-signature">
        <div>{notice.centerName}</div>
        <div>{day(notice.startsOn)}</div>
      </div>
    </article>
  );
}
