import { useMessages } from '../i18n/index.ts';

const LEVELS = 5;

/** Filled stars for the level, hollow ones for the rest: the level reads at a glance from across a room. */
export function Stars({ count, showEmpty = true }: { count: number; showEmpty?: boolean }) {
  const messages = useMessages();
  return (
    <span class="stars" role="img" aria-label={messages.stars(count)}>
      {'★'.repeat(count)}
      {showEmpty && <span class="stars-empty">{'☆'.repeat(Math.max(0, LEVELS - count))}</span>}
    </span>
  );
}
