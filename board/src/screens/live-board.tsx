import { useEffect, useRef, useState } from 'preact/hooks';
import type { BoardActivity, BoardFeedItem, BoardHonour, BoardRedemption, BoardState, BoardTeamStanding } from '@protocol/board.ts';
import { feedKey } from '../board-model.ts';
import { Stars } from '../components/stars.tsx';
import { dayIn, feedTimeIn, hoursText, timeIn } from '../format.ts';
import { useMessages } from '../i18n/index.ts';
import { BoardSnapsPanel } from './board-snaps.tsx';

/** What fits a 1080-line screen, legibly: the state may hold more, the screen shows these. */
const FEED_SHOWN = 7;
const TEAMS_SHOWN = 4;
const HONOUR_SHOWN = 5;
/** The side column also holds teams and the honour roll; the server sends up to ten. */
const REDEMPTIONS_SHOWN = 4;
/** People chips per activity, by how many activities share the column. */
const CHIPS_SHOWN = [24, 24, 10, 6];
const HONOUR_ROTATE_MS = 15_000;
/** How long a new feed line keeps its highlight (the CSS animation is as long). */
const FRESH_MS = 4_000;

export function LiveBoard({ state }: { state: BoardState }) {
  const messages = useMessages();
  const locale = messages.locale;
  return (
    <>
      <section class="tiles">
        <Tile label={messages.tiles.onSite} value={String(state.onSiteTotal)} unit={messages.tiles.people} accent />
        <Tile label={messages.tiles.todayHours} value={hoursText(state.hours.today, locale)} unit={messages.tiles.hours} />
        <Tile label={messages.tiles.monthHours} value={hoursText(state.hours.month, locale)} unit={messages.tiles.hours} />
        <Tile label={messages.tiles.volunteersToday} value={String(state.volunteersToday)} unit={messages.tiles.people} />
      </section>
      <main class="columns">
        <Activities activities={state.activities} timeZone={state.timeZone} />
        <Feed feed={state.feed} timeZone={state.timeZone} today={state.today} />
        <section class={state.redemptions ? 'side side-with-redemptions' : 'side'}>
          <Teams teams={state.teams} />
          <Honour honourRoll={state.honourRoll} newStars={state.newStars} />
          {/* 随手拍 takes room from the honour roll only once there is a report this month or one handled. */}
          {state.snaps && (state.snaps.monthCount > 0 || state.snaps.latestHandled.length > 0) && <BoardSnapsPanel snaps={state.snaps} timeZone={state.timeZone} />}
          {state.redemptions && <Redemptions redemptions={state.redemptions} timeZone={state.timeZone} />}
        </section>
      </main>
    </>
  );
}

export function Tile({ label, value, unit, accent }: { label: string; value: string; unit: string; accent?: boolean }) {
  return (
    <div class={accent ? 'tile tile-accent' : 'tile'}>
      <div class="tile-label">{label}</div>
      <div class="tile-value">
        {value}
        {unit && <span class="tile-unit">{unit}</span>}
      </div>
    </div>
  );
}

function Activities({ activities, timeZone }: { activities: BoardActivity[]; timeZone: string }) {
  const messages = useMessages();
  const chips = CHIPS_SHOWN[Math.min(activities.length, CHIPS_SHOWN.length - 1)]!;
  return (
    <section class="panel activities">
      <h2>{messages.activities.title}</h2>
      {activities.length === 0 && <p class="empty">{messages.activities.none}</p>}
      {activities.map((activity) => (
        <article class="activity" key={activity.id}>
          <header class="activity-head">
            <div class="activity-title">{activity.title}</div>
            <div class="activity-count">{messages.activities.onSite(activity.onSite)}</div>
          </header>
          <div class="activity-meta">
            {activity.place && <span>{activity.place} · </span>}
            {timeIn(activity.startsAt, timeZone, messages.locale)}–{timeIn(activity.endsAt, timeZone, messages.locale)}
          </div>
          <div class="chips">
            {activity.onSite === 0 && <span class="empty">{messages.activities.nobodyYet}</span>}
            {activity.people.slice(0, chips).map((person) => (
              <span class="chip" key={person.volunteerId} title={messages.activities.since(timeIn(person.since, timeZone, messages.locale))}>
                <span class="chip-name">{person.displayName}</span>
                {person.teamNames[0] && <span class="chip-team">{person.teamNames[0]}</span>}
              </span>
            ))}
            {activity.onSite > chips && <span class="chip chip-more">{messages.activities.more(activity.onSite - chips)}</span>}
          </div>
        </article>
      ))}
    </section>
  );
}

/** New lines slide in and glow for a moment; lines already shown stay still. The first render animates nothing. */
function Feed({ feed, timeZone, today }: { feed: BoardFeedItem[]; timeZone: string; today: string }) {
  const messages = useMessages();
  const firstSeen = useRef<Map<string, number> | null>(null);
  const shown = feed.slice(0, FEED_SHOWN);
  const now = Date.now();
  const known = firstSeen.current;
  // Only lines on screen are remembered, so the map stays as small as the feed however long the board runs.
  firstSeen.current = new Map(shown.map((item) => [feedKey(item), known ? (known.get(feedKey(item)) ?? now) : 0]));
  const fresh = new Set([...firstSeen.current].filter(([, at]) => now - at < FRESH_MS).map(([key]) => key));
  return (
    <section class="panel feed">
      <h2>{messages.feed.title}</h2>
      {shown.length === 0 && <p class="empty">{messages.feed.empty}</p>}
      <ol class="feed-list">
        {shown.map((item) => (
          <li key={feedKey(item)} class={`feed-item action-${item.action}${fresh.has(feedKey(item)) ? ' fresh' : ''}`}>
            <time class={`feed-time${dayIn(item.at, timeZone) === today ? '' : ' feed-time--dated'}`} dateTime={item.at}>
              {feedTimeIn(item.at, today, timeZone, messages.locale)}
            </time>
            <span class="feed-who">
              <span class="feed-name">{item.volunteer.displayName}</span>
              <span class="feed-action">{messages.feed.actions[item.action]}</span>
            </span>
            <span class="feed-activity">{item.activityTitle}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Teams({ teams }: { teams: BoardTeamStanding[] }) {
  const messages = useMessages();
  const shown = teams.slice(0, TEAMS_SHOWN);
  const most = Math.max(1, ...shown.map((t) => t.hours));
  return (
    <section class="panel teams">
      <h2>{messages.teams.title}</h2>
      {shown.length === 0 && <p class="empty">{messages.teams.empty}</p>}
      <ol class="team-list">
        {shown.map((team, index) => (
          <li key={team.teamId} class="team">
            <span class="rank">{index + 1}</span>
            <span class="team-body">
              <span class="team-line">
                <span class="team-name">{team.name}</span>
                <span class="team-hours">{messages.honour.hours(hoursText(team.hours, messages.locale))}</span>
              </span>
              <span class="bar"><span class="bar-fill" style={{ width: `${(team.hours / most) * 100}%` }} /></span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The honour roll, taking turns with this month's new stars when there are any. */
function Honour({ honourRoll, newStars }: { honourRoll: BoardHonour[]; newStars: BoardHonour[] }) {
  const messages = useMessages();
  const [showNew, setShowNew] = useState(false);
  useEffect(() => {
    if (newStars.length === 0) {
      setShowNew(false);
      return;
    }
    const timer = setInterval(() => setShowNew((current) => !current), HONOUR_ROTATE_MS);
    return () => clearInterval(timer);
  }, [newStars.length > 0]);
  const list = (showNew ? newStars : honourRoll).slice(0, HONOUR_SHOWN);
  return (
    <section class="panel honour">
      <h2>{showNew ? messages.honour.newStarsTitle : messages.honour.title}</h2>
      {list.length === 0 && <p class="empty">{messages.honour.empty}</p>}
      <ol class="honour-list">
        {list.map((person) => (
          <li key={person.volunteerId} class="honour-item">
            <Stars count={person.stars} showEmpty={false} />
            <span class="honour-name">{person.displayName}</span>
            <span class="honour-team">{person.teamNames[0] ?? ''}</span>
            <span class="honour-hours">{messages.honour.hours(hoursText(person.hours, messages.locale))}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Shown only when the center chose to (the server leaves the list out otherwise); names come masked as the center set. */
function Redemptions({ redemptions, timeZone }: { redemptions: BoardRedemption[]; timeZone: string }) {
  const messages = useMessages();
  const shown = redemptions.slice(0, REDEMPTIONS_SHOWN);
  return (
    <section class="panel redemptions">
      <h2>{messages.redemptions.title}</h2>
      {shown.length === 0 && <p class="empty">{messages.redemptions.empty}</p>}
      <ol class="redemption-list">
        {shown.map((redemption) => (
          <li key={redemption.redemptionId} class="redemption-item">
            <span class="redemption-time">{timeIn(redemption.at, timeZone, messages.locale)}</span>
            <span class="redemption-name">{redemption.displayName}</span>
            <span class="redemption-goods">{redemption.items.join('、')}</span>
            <span class="redemption-points">{messages.redemptions.points(redemption.points)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
