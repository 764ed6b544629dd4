import type { BoardSnaps } from '@protocol/me.ts';
import { useMessages } from '../i18n/index.ts';

/** The side column is shared with teams, the honour roll and redemptions: three lines fit beside them. */
const HANDLED_SHOWN = 3;

/**
 * 随手拍 on the board: this month's count and the latest reports the center handled ("反馈"),
 * by category and place only. No names, and a photo only when the center's setting allows it
 * (the server leaves thumbnailUrl out otherwise): photos may show faces, doors or plates.
 */
export function BoardSnapsPanel({ snaps, timeZone }: { snaps: BoardSnaps; timeZone: string }) {
  const messages = useMessages();
  const m = messages.snaps;
  const shown = snaps.latestHandled.slice(0, HANDLED_SHOWN);
  return (
    <section class="panel board-snaps" data-testid="board-snaps">
      <h2>
        {m.title}
        <span class="board-snaps-count" data-testid="board-snaps-count">
          {m.monthCount(snaps.monthCount)}
        </span>
      </h2>
      {shown.length === 0 && <p class="empty">{m.empty}</p>}
      <ol class="board-snaps-list" aria-label={m.handledTitle}>
        {shown.map((snap) => (
          <li key={snap.id} class="board-snap">
            {snap.thumbnailUrl && <img class="board-snap-thumb" src={snap.thumbnailUrl} alt="" />}
            <span class="board-snap-category">{m.categories[snap.category]}</span>
            <span class="board-snap-place">{snap.place}</span>
            <span class="board-snap-time">{m.handledOn(shortDate(snap.resolvedAt, timeZone, messages.locale))}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Handled reports may be days old: the day (12月5日 / Dec 5), in the center's zone. */
function shortDate(at: string, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone }).format(new Date(at));
}
