import { useMemo } from 'preact/hooks';
import { useI18n } from './i18n/index.tsx';
import { useSession } from './session.tsx';

/** Dates in the center's time zone and numbers in the UI language. */
export function useFormat() {
  const { language } = useI18n();
  const { settings } = useSession();
  return useMemo(() => {
    const timeZone = settings.timeZone;
    const dateTime = new Intl.DateTimeFormat(language, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const date = new Intl.DateTimeFormat(language, { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    const time = new Intl.DateTimeFormat(language, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const dayHeading = new Intl.DateTimeFormat(language, { timeZone: 'UTC', month: 'numeric', day: 'numeric', weekday: 'short' });
    const number = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    return {
      timeZone,
      dateTime: (iso: string | undefined) => (iso ? dateTime.format(new Date(iso)) : '—'),
      date: (iso: string | undefined) => (iso ? date.format(new Date(iso)) : '—'),
      time: (iso: string | undefined) => (iso ? time.format(new Date(iso)) : '—'),
      /** "周二 11/24" for a "YYYY-MM-DD" day (a calendar day, so no zone shift): the weekday first, as calendars print it. */
      dayHeading: (day: string) => {
        const parts = dayHeading.formatToParts(new Date(`${day}T12:00:00Z`));
        const weekday = parts.find((p) => p.type === 'weekday')?.value ?? '';
        const date = parts.filter((p) => p.type !== 'weekday').map((p) => p.value).join('').replace(/^[\s,，]+|[\s,，]+$/g, '');
        return `${weekday} ${date}`;
      },
      number: (value: number) => number.format(value),
    };
  }, [language, settings.timeZone]);
}
