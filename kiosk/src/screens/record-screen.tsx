import { useEffect } from 'preact/hooks';
import type { LookupSuccess } from '@protocol/events.ts';
import { useMessages } from '../i18n/index.ts';
import { formatDay, formatNumber, formatTime } from '../server-clock.ts';
import { Stars } from './stars.tsx';

const SHOW_MS = 20_000;

/** "My record": a volunteer's own figures and latest service, read-only, then back to scanning. */
export function RecordScreen({ record, timeZone, onDone }: { record: LookupSuccess; timeZone: string; onDone: () => void }) {
  const messages = useMessages();
  const m = messages.record;
  const lang = messages.htmlLang;
  const volunteer = record.volunteer;
  useEffect(() => {
    const timer = setTimeout(onDone, SHOW_MS);
    return () => clearTimeout(timer);
  }, [record]);

  return (
    <section class="overlay record" data-screen="record">
      <h1>
        {m.title} · {volunteer.displayName}
      </h1>
      <dl class="record-figures">
        <div>
          <dt>{m.totalHours}</dt>
          <dd>{m.hoursUnit(formatNumber(volunteer.totalHours))}</dd>
        </div>
        <div>
          <dt>{m.points}</dt>
          <dd>{formatNumber(volunteer.points)}</dd>
        </div>
        <div>
          <dt>{m.stars}</dt>
          <dd>
            <Stars count={volunteer.stars} />
          </dd>
        </div>
      </dl>
      <h2>{m.recent}</h2>
      {record.recent.length === 0 ? (
        <p>{m.none}</p>
      ) : (
        <ul class="record-list">
          {record.recent.map((item) => (
            <li key={item.checkInAt}>
              <span class="record-day">{formatDay(item.checkInAt, timeZone, lang)}</span>
              <span class="record-activity">{item.activityTitle}</span>
              <span class="record-times">
                {formatTime(item.checkInAt, timeZone, lang)}–{item.checkOutAt ? formatTime(item.checkOutAt, timeZone, lang) : m.ongoing}
              </span>
              <span class="record-hours">{item.hours !== undefined ? m.hoursUnit(formatNumber(item.hours)) : ''}</span>
            </li>
          ))}
        </ul>
      )}
      <button class="primary" onClick={onDone}>
        {m.back}
      </button>
    </section>
  );
}
