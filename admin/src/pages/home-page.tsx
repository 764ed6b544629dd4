import type { ChecklistStep, HomeView } from '@protocol/home.ts';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession, type Permission } from '../session.tsx';
import { useResource } from '../use-resource.ts';
import { ActivityBadge } from './activities-page.tsx';

/** Where each first-run step is done, and who may do it. */
const stepLinks: Record<ChecklistStep, { to: string; permission: Permission }> = {
  center: { to: '/settings', permission: 'settings:write' },
  volunteers: { to: '/volunteers/import', permission: 'volunteers:write' },
  cards: { to: '/print?unprinted=1', permission: 'volunteers:read' },
  kiosk: { to: '/devices', permission: 'devices:manage' },
  activity: { to: '/activities', permission: 'activities:write' },
};

/**
 * The first screen after login (issue 12): today's activities with who is on site, what waits
 * for staff, low stock, what expires soon, and — until a center has done them — its first steps,
 * each ticked by the server from the real state. Refreshed every 30 s.
 */
export function HomePage() {
  const m = useMessages();
  const t = m.home;
  const format = useFormat();
  const { can, settings } = useSession();
  const home = useResource<HomeView>('/home', { pollMs: 30_000 });
  if (home.error) return <ErrorNotice error={home.error} />;
  const h = home.data;
  if (!h) return <Loading />;
  const stepsLeft = h.checklist.filter((s) => !s.done).length;
  const queues = [
    { key: 'review', n: h.queues.attendanceReview, label: t.queueReview, to: '/review', show: true },
    { key: 'snaps', n: h.queues.snapsPending, label: t.queueSnaps, to: '/snaps', show: true },
    { key: 'requests', n: h.queues.requestsOpen, label: t.queueRequests, to: '/requests', show: can('requests:read') },
  ].filter((q) => q.show);

  return (
    <Page title={t.title} subtitle={t.subtitle(settings.centerName, format.dayHeading(h.today))}>
      {stepsLeft > 0 && (
        <section class="panel home__checklist" aria-labelledby="home-checklist">
          <h2 id="home-checklist">{t.checklistTitle}</h2>
          <p class="muted">{t.checklistIntro(h.checklist.length - stepsLeft, h.checklist.length)}</p>
          <ol class="checklist">
            {h.checklist.map((s) => (
              <li key={s.step} class={`checklist__step${s.done ? ' checklist__step--done' : ''}`} data-step={s.step} data-done={String(s.done)}>
                <span class="checklist__mark" aria-hidden="true">{s.done ? '✓' : ''}</span>
                <span class="checklist__text">
                  {t.steps[s.step]}
                  <span class="visually-hidden">{s.done ? t.done : t.notDone}</span>
                </span>
                {!s.done && can(stepLinks[s.step].permission) && (
                  <Link class="button" to={stepLinks[s.step].to}>
                    {t.go}
                  </Link>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}
      <div class="tiles">
        {queues.map((q) => (
          <Link key={q.key} class={`tile home__tile${q.n > 0 ? ' tile--warn' : ''}`} to={q.to}>
            <span class="tile__label">{q.label}</span>
            <span class="tile__value">{q.n}</span>
          </Link>
        ))}
      </div>
      <section class="panel" aria-labelledby="home-today">
        <h2 id="home-today">{t.todayTitle}</h2>
        {h.activities.length === 0 && <p class="muted">{t.noActivities}</p>}
        <ul class="home__activities">
          {h.activities.map((a) => (
            <li key={a.id} class="home__activity">
              <div>
                <Link to={`/activities/${a.id}`}>{a.title}</Link> <ActivityBadge activity={a} />
                <span class="muted">
                  {' '}
                  {format.time(a.startsAt)}–{format.time(a.endsAt)}
                  {a.place && ` · ${a.place}`} · {t.counts(a.onSite.length, a.attendanceCount)}
                </span>
              </div>
              {a.onSite.length > 0 && <p class="home__people">{a.onSite.map((p) => p.name).join('、')}</p>}
            </li>
          ))}
        </ul>
      </section>
      {can('goods:write') && h.lowStock.length > 0 && (
        <section class="panel" aria-labelledby="home-stock">
          <h2 id="home-stock">
            <Link to="/goods">{t.lowStockTitle}</Link>
          </h2>
          <ul class="home__list">
            {h.lowStock.map((g) => (
              <li key={g.id}>{t.stockLine(g.name, g.stock)}</li>
            ))}
          </ul>
        </section>
      )}
      {(h.expiring.insurance.length > 0 || h.expiring.trainings.length > 0) && (
        <section class="panel" aria-labelledby="home-expiring">
          <h2 id="home-expiring">{t.expiringTitle(h.expiring.withinDays)}</h2>
          <ul class="home__list">
            {h.expiring.insurance.map((p) => (
              <li key={p.id}>{t.insuranceLine(p.insurer, p.policyNo, p.to, p.people)}</li>
            ))}
            {h.expiring.trainings.map((x) => (
              <li key={`${x.volunteerId}-${x.category}`}>
                <Link to={`/volunteers/${x.volunteerId}`}>{x.name}</Link> {t.trainingLine(x.category, x.validUntil)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Page>
  );
}
