import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { navigate, useLocation } from '../router.tsx';
import { addDays, dayIn } from '../time.ts';

/**
 * The day a page shows, kept in the address (?day=YYYY-MM-DD) so a reload, a bookmark and the
 * step from the receipts to the close-out keep it. Today (the center's) when not given.
 */
export function useDayParam(): { day: string; today: string; setDay: (day: string) => void } {
  const { path, search } = useLocation();
  const today = dayIn(new Date(), useFormat().timeZone);
  const given = search.get('day');
  const day = given && /^\d{4}-\d{2}-\d{2}$/.test(given) ? given : today;
  return { day, today, setDay: (next) => navigate(next === today ? path : `${path}?day=${next}`, { replace: true }) };
}

/** A calendar day with a step back and forth: counters close out day by day. */
export function DayPicker({ day, today, onChange }: { day: string; today: string; onChange: (day: string) => void }) {
  const m = useMessages();
  return (
    <div class="toolbar__group">
      <button class="button" onClick={() => onChange(addDays(day, -1))} aria-label={m.common.previousDay}>
        ‹
      </button>
      <input class="day-picker" type="date" aria-label={m.common.day} value={day} max={today} onChange={(event) => event.currentTarget.value && onChange(event.currentTarget.value)} />
      <button class="button" onClick={() => onChange(addDays(day, 1))} disabled={day >= today} aria-label={m.common.nextDay}>
        ›
      </button>
      {day !== today && (
        <button class="button" onClick={() => onChange(today)}>
          {m.common.today}
        </button>
      )}
    </div>
  );
}
