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
