import { useMessages } from '../i18n/index.tsx';

export const STAR_LEVELS = 5;

export function Stars({ value }: { value: number }) {
  const m = useMessages();
  return (
    <span class="stars" title={m.volunteers.starLevel(value)} aria-label={m.volunteers.starLevel(value)}>
      {'★'.repeat(value)}
      <span class="stars__empty">{'★'.repeat(Math.max(0, STAR_LEVELS - value))}</span>
    </span>
  );
}
