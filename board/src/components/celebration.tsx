import { useMessages } from '../i18n/index.ts';
import { Stars } from './stars.tsx';

export interface CelebrationItem {
  key: string;
  displayName: string;
  stars: number;
}

/** Fixed positions, not random: the same frame on every screen and in every screenshot. */
const SPARKS = Array.from({ length: 18 }, (_, i) => ({ left: (i * 37) % 100, delay: (i % 6) * 0.35, size: 1.6 + (i % 4) * 0.6 }));

export function Celebration({ item }: { item: CelebrationItem }) {
  const messages = useMessages();
  return (
    <div class="celebration" role="status" key={item.key}>
      {SPARKS.map((spark, i) => (
        <span key={i} class="spark" style={{ left: `${spark.left}%`, animationDelay: `${spark.delay}s`, fontSize: `${spark.size}rem` }}>★</span>
      ))}
      <div class="celebration-card">
        <div class="celebration-stars"><Stars count={item.stars} showEmpty={false} /></div>
        <div class="celebration-heading">{messages.celebration.heading}</div>
        <div class="celebration-line">{messages.celebration.line(item.displayName, item.stars)}</div>
      </div>
    </div>
  );
}
