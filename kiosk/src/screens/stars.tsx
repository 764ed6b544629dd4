import { useMessages } from '../i18n/index.ts';

const LEVELS = 5;

export function Stars({ count }: { count: number }) {
  const messages = useMessages();
  return (
    <span class="stars" aria-label={messages.stars(count)} title={messages.stars(count)}>
      {'★'.repeat(count)}
      <span class="stars-empty">{'☆'.repeat(Math.max(0, LEVELS - count))}</span>
    </span>
  );
}
