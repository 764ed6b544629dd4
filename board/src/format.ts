/** Times on the board are the center's local time, whatever zone the TV's computer is set to. */
export function timeIn(at: string | Date, timeZone: string, locale: string, withSeconds = false): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}), hour12: false, timeZone }).format(new Date(at));
}

export function dateIn(at: Date, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone }).format(at);
}

/** Hours with at most one decimal, as people say them: 12, 12.5. */
export function hoursText(hours: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(hours);
}

/** The center's calendar day of a moment, YYYY-MM-DD (as the board state's `today`). */
export function dayIn(at: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(new Date(at));
}

/** A feed line's time: the time alone today, with its date on any other day (a back-dated record). */
export function feedTimeIn(at: string, today: string, timeZone: string, locale: string): string {
  if (dayIn(at, timeZone) === today) return timeIn(at, timeZone, locale);
  return new Intl.DateTimeFormat(locale, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(new Date(at));
}
