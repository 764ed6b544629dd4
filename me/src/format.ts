/** Numbers as people read them: 12.5, not 12.500000001. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A date and time in the phone's own zone, which on the center's Wi-Fi is the center's. */
export function formatDateTime(iso: string, lang: string): string {
  const date = new Date(iso);
  try {
    return date.toLocaleString(lang, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  } catch {
    return iso.slice(0, 16).replace('T', ' ');
  }
}
