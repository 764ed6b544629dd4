import type { WishCard, WishWall } from '@protocol/service.ts';
import { hoursText, timeIn } from '../format.ts';
import { useMessages } from '../i18n/index.ts';
import { Tile } from '../screens/live-board.tsx';
import { useWishMessages } from './wish-messages.ts';

/** What fits the screen legibly; the server sends up to 24 of each. */
const OPEN_SHOWN = 8;
const IN_PROGRESS_SHOWN = 6;
const ACCEPTED_SHOWN = 5;

/**
 * 心愿墙 on the hall TV: open needs by category with masked names (the server sends nothing
 * else: no phone, address, tags or details), what is being helped, the newly taken, and this
 * month's figures.
 */
export function WishWallBoard({ wall, timeZone }: { wall: WishWall; timeZone: string }) {
  const w = useWishMessages();
  const locale = useMessages().locale;
  return (
    <>
      <section class="tiles" data-testid="wish-tiles">
        <Tile label={w.open} value={String(wall.byCategory.reduce((sum, c) => sum + c.open, 0))} unit={w.times} accent />
        <Tile label={w.monthCompleted} value={String(wall.month.completed)} unit={w.times} />
        <Tile label={w.monthPeople} value={String(wall.month.peopleServed)} unit={w.people} />
        <Tile label={w.monthHours} value={hoursText(wall.month.hours, locale)} unit={w.hours} />
      </section>
      <main class="columns wish-columns" data-screen="wish-wall">
        <section class="panel wish-open">
          <h2>
            {w.title} · {w.open}
          </h2>
          {wall.byCategory.length > 0 && (
            <p class="wish-categories">
              {wall.byCategory.map((c) => (
                <span key={c.category} class="wish-category">
                  <strong>{c.category}</strong> {w.byCategory(c.open, c.inProgress)}
                </span>
              ))}
            </p>
          )}
          {wall.open.length === 0 ? (
            <p class="empty">{w.noOpen}</p>
          ) : (
            <div class="wish-grid">
              {wall.open.slice(0, OPEN_SHOWN).map((card) => (
                <Wish key={card.requestId} card={card} timeZone={timeZone} locale={locale} />
              ))}
            </div>
          )}
          <p class="wish-how">{w.howToHelp}</p>
        </section>
        <section class="panel wish-progress">
          <h2>{w.inProgress}</h2>
          {wall.inProgress.length === 0 ? (
            <p class="empty">—</p>
          ) : (
            <ul class="wish-list">
              {wall.inProgress.slice(0, IN_PROGRESS_SHOWN).map((card) => (
                <li key={card.requestId} class="wish-line" data-wish={card.number} data-status={card.status}>
                  <strong>{card.category}</strong> {card.residentName ?? w.anonymous}
                  <span class="wish-status">{w.statuses[card.status] ?? card.status}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section class="panel wish-accepted">
          <h2>{w.accepted}</h2>
          {wall.recentlyAccepted.length === 0 ? (
            <p class="empty">{w.noneAccepted}</p>
          ) : (
            <ul class="wish-list">
              {wall.recentlyAccepted.slice(0, ACCEPTED_SHOWN).map((card) => (
                <li key={card.requestId} class="wish-line wish-fresh" data-wish={card.number}>
                  <span class="wish-time">{timeIn(card.since, timeZone, locale)}</span> <strong>{card.category}</strong> {card.residentName ?? w.anonymous}
                </li>
              ))}
            </ul>
          )}
        </section>
      </main>
    </>
  );
}

function Wish({ card, timeZone, locale }: { card: WishCard; timeZone: string; locale: string }) {
  const w = useWishMessages();
  return (
    <article class="wish" data-wish={card.number} data-status={card.status}>
      <div class="wish-title">{card.category}</div>
      <div class="wish-who">
        {card.residentName ?? w.anonymous}
        {card.grid ? ` · ${card.grid}` : ''}
      </div>
      <div class="wish-meta">
        {card.number} · {timeIn(card.since, timeZone, locale)}
      </div>
    </article>
  );
}
