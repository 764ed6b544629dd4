import { useEffect, useState } from 'preact/hooks';
import { dateIn, timeIn } from '../format.ts';
import { useMessages } from '../i18n/index.ts';

/** Its own component, so the ticking second re-renders the clock and nothing else. */
export function Clock({ timeZone }: { timeZone: string }) {
  const messages = useMessages();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div class="clock">
      <div class="clock-time">{timeIn(now, timeZone, messages.locale, true)}</div>
      <div class="clock-date">{dateIn(now, timeZone, messages.locale)}</div>
    </div>
  );
}
