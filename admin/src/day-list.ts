/**
 * Days as staff type them from the State Council's holiday notice: one day or one range a line
 * (or separated by commas), "2026-10-01", "2026-10-01~2026-10-08", "2026-10-01 至 2026-10-08".
 * What is not a day is returned as typed, so the form can say which line is wrong.
 */
export function parseDayList(text: string): { days: string[]; wrong: string[] } {
  const days: string[] = [];
  const wrong: string[] = [];
  for (const item of text.split(/[\n,，、;；]+/).map((part) => part.trim()).filter(Boolean)) {
    const parts = item.split(/\s*(?:~|～|至|到|—|–)\s*/);
    const from = parts[0] ?? '';
    const to = parts[1] ?? from;
    if (parts.length > 2 || !isDay(from) || !isDay(to) || to < from) {
      wrong.push(item);
      continue;
    }
    // A range longer than the year's longest holiday is a typing mistake, not 200 days off.
    const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
    if (span > 31) {
      wrong.push(item);
      continue;
    }
    for (let i = 0; i <= span; i++) days.push(new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
  }
  return { days: [...new Set(days)].sort(), wrong };
}

/** The days back as lines, runs of consecutive days as ranges. */
export function formatDayList(days: readonly string[]): string {
  const lines: string[] = [];
  let start: string | undefined;
  let previous: string | undefined;
  const close = () => start && lines.push(start === previous ? start : `${start}~${previous}`);
  for (const day of [...days].sort()) {
    if (previous && Date.parse(`${day}T00:00:00Z`) - Date.parse(`${previous}T00:00:00Z`) === 86_400_000) {
      previous = day;
      continue;
    }
    close();
    start = previous = day;
  }
  close();
  return lines.join('\n');
}

function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  return new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}
