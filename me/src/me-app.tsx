import { useEffect, useMemo, useState } from 'preact/hooks';
import type { MeView, MySnapView } from '@protocol/me.ts';
import { api, ApiError } from './api.ts';
import { formatDateTime, formatNumber } from './format.ts';
import { catalogs, MessagesContext, saveLanguage, savedLanguage, useMessages, type Language } from './i18n/index.ts';
import { SnapForm } from './snap-form.tsx';
import { ActivitySignups, MyTasks } from './signups-tasks.tsx';
import { SnapOutbox } from './snap-outbox.ts';

type Load = { kind: 'loading' } | { kind: 'signed-out' } | { kind: 'ready'; me: MeView; snaps: MySnapView[]; stale: boolean };

const CACHE_KEY = 'vs-me-cache';
/** Waiting snaps are retried this often while the page is open, besides when the phone says it is online. */
const RETRY_MS = 30_000;

export function MeApp() {
  const [language, setLanguage] = useState<Language>(savedLanguage);
  const messages = catalogs[language];
  useEffect(() => {
    document.documentElement.lang = messages.htmlLang;
  }, [messages]);
  const toggle = () => {
    const next = language === 'zh-CN' ? 'en' : 'zh-CN';
    saveLanguage(next);
    setLanguage(next);
  };
  return (
    <MessagesContext.Provider value={messages}>
      <Page onToggleLanguage={toggle} />
    </MessagesContext.Provider>
  );
}

function Page({ onToggleLanguage }: { onToggleLanguage: () => void }) {
  const messages = useMessages();
  const outbox = useMemo(() => new SnapOutbox(), []);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [waiting, setWaiting] = useState(0);

  const refresh = async () => {
    try {
      const [me, snaps] = await Promise.all([api.me(), api.snaps()]);
      try {
        localStorage.setItem(CACHE_KEY, JSON.stringify({ me, snaps: snaps.items }));
      } catch {
        // Storage full or private mode: the page still works, only not offline.
      }
      setLoad({ kind: 'ready', me, snaps: snaps.items, stale: false });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        localStorage.removeItem(CACHE_KEY);
        return setLoad({ kind: 'signed-out' });
      }
      const cached = readCache();
      setLoad(cached ? { kind: 'ready', ...cached, stale: true } : { kind: 'signed-out' });
    }
  };

  const flush = async () => {
    const sent = await outbox.flush();
    setWaiting(await outbox.count());
    if (sent > 0) void refresh();
  };

  useEffect(() => {
    void refresh();
    void flush();
    const timer = setInterval(() => void flush(), RETRY_MS);
    const online = () => void flush().then(refresh);
    window.addEventListener('online', online);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', online);
    };
  }, []);

  const header = (
    <header class="top">
      <span class="top-title">{load.kind === 'ready' ? load.me.centerName : ''}</span>
      <button type="button" class="language" onClick={onToggleLanguage}>
        {messages.switchLanguage}
      </button>
    </header>
  );

  if (load.kind === 'loading') return <main>{header}<p class="note">{messages.loading}</p></main>;
  if (load.kind === 'signed-out') return <main>{header}<SignedOut /></main>;

  const { me, snaps, stale } = load;
  return (
    <main>
      {header}
      {stale && (
        <p class="banner" role="status">
          {messages.offline}{' '}
          <button type="button" class="link" onClick={() => void refresh()}>
            {messages.retry}
          </button>
        </p>
      )}
      <Figures me={me} />
      {!stale && <MyTasks />}
      {!stale && <ActivitySignups />}
      <SnapForm
        categories={me.snapCategories.map((c) => c.key)}
        outbox={outbox}
        waiting={waiting}
        onSent={() => void refresh()}
        onQueued={() => void outbox.count().then(setWaiting)}
      />
      <MySnaps snaps={snaps} />
      <Records me={me} />
      <Redemptions me={me} />
      <p class="foot">
        <button
          type="button"
          class="link"
          onClick={() => {
            if (!window.confirm(messages.signOutConfirm)) return;
            void api.signOut().finally(() => {
              localStorage.removeItem(CACHE_KEY);
              setLoad({ kind: 'signed-out' });
            });
          }}
        >
          {messages.signOut}
        </button>
      </p>
    </main>
  );
}

function readCache(): { me: MeView; snaps: MySnapView[] } | null {
  try {
    return JSON.parse(localStorage.getItem(CACHE_KEY) ?? 'null') as { me: MeView; snaps: MySnapView[] } | null;
  } catch {
    return null;
  }
}

function SignedOut() {
  const m = useMessages().noSession;
  const linkInvalid = new URLSearchParams(window.location.search).get('link') === 'invalid';
  return (
    <section class="card" data-testid="signed-out">
      <h1>{m.title}</h1>
      {linkInvalid && <p class="warning">{m.linkInvalid}</p>}
      <ol class="steps">
        {m.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      <p class="note">{m.wifi}</p>
    </section>
  );
}

function Stars({ count }: { count: number }) {
  return (
    <span class="stars" aria-label={`${count}★`}>
      {'★'.repeat(count)}
      <span class="stars-empty">{'☆'.repeat(Math.max(0, 5 - count))}</span>
    </span>
  );
}

function Figures({ me }: { me: MeView }) {
  const messages = useMessages();
  const f = messages.figures;
  return (
    <section class="card figures" data-testid="figures">
      <h1 class="name">
        {me.displayName} <small>No.{me.cardNo}</small>
      </h1>
      <div class="figure-grid">
        <div class="figure">
          <span class="figure-label">{f.hours}</span>
          <strong data-testid="hours">{f.hoursUnit(formatNumber(me.hours))}</strong>
        </div>
        <div class="figure">
          <span class="figure-label">{f.yearHours}</span>
          <strong data-testid="year-hours">{f.hoursUnit(formatNumber(me.yearHours))}</strong>
        </div>
        <div class="figure">
          <span class="figure-label">{f.points}</span>
          <strong data-testid="points">{formatNumber(me.points)}</strong>
        </div>
        <div class="figure">
          <span class="figure-label">{f.stars}</span>
          <strong data-testid="stars">
            <Stars count={me.stars} />
          </strong>
        </div>
      </div>
      <p class="next-star" data-testid="next-star">
        {me.nextStar ? f.nextStar(me.nextStar.level, formatNumber(me.nextStar.hoursNeeded)) : f.topStar}
        {me.starPeriod === 'calendarYear' && <span class="note"> {f.periodNote}</span>}
      </p>
    </section>
  );
}

function MySnaps({ snaps }: { snaps: MySnapView[] }) {
  const messages = useMessages();
  const m = messages.mySnaps;
  return (
    <section class="card" data-testid="my-snaps">
      <h2>{m.title}</h2>
      {snaps.length === 0 && <p class="note">{m.none}</p>}
      <ul class="list">
        {snaps.map((snap) => (
          <li key={snap.id} class="snap-item" data-status={snap.status}>
            <img src={snap.photoUrl} alt="" width={72} height={72} loading="lazy" />
            <div>
              <p class="snap-head">
                <span class={`badge badge-${snap.status}`}>{m.status[snap.status]}</span> {messages.categories[snap.category]}
              </p>
              <p>{snap.place}</p>
              <p class="note">{formatDateTime(snap.createdAt, messages.htmlLang)}</p>
              {snap.points !== undefined && snap.points > 0 && <p class="points">{m.points(formatNumber(snap.points))}</p>}
              {snap.status === 'declined' && snap.reviewNote && <p>{m.reason(snap.reviewNote)}</p>}
              {snap.resolution && <p class="resolution">{m.resolution(snap.resolution)}</p>}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Records({ me }: { me: MeView }) {
  const messages = useMessages();
  const m = messages.records;
  return (
    <section class="card" data-testid="records">
      <h2>{m.title}</h2>
      {me.records.length === 0 && <p class="note">{m.none}</p>}
      <ul class="list">
        {me.records.map((record) => (
          <li key={`${record.kind}:${record.at}`} class="row">
            <span>
              {record.title}
              <br />
              <span class="note">{formatDateTime(record.at, messages.htmlLang)}</span>
            </span>
            <strong>{record.endedAt ? m.hours(formatNumber(record.hours ?? 0)) : m.ongoing}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Redemptions({ me }: { me: MeView }) {
  const messages = useMessages();
  const m = messages.redemptions;
  return (
    <section class="card" data-testid="redemptions">
      <h2>{m.title}</h2>
      {me.redemptions.length === 0 && <p class="note">{m.none}</p>}
      <ul class="list">
        {me.redemptions.map((r) => (
          <li key={r.receiptNo} class={`row${r.voided ? ' voided' : ''}`}>
            <span>
              {r.items.map((item) => `${item.name}×${item.quantity}`).join('、')}
              <br />
              <span class="note">{formatDateTime(r.at, messages.htmlLang)}</span>
            </span>
            <strong>{r.voided ? m.voided : m.points(formatNumber(r.pointsSpent))}</strong>
          </li>
        ))}
      </ul>
    </section>
  );
}
