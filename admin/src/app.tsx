import type { ComponentType } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Settings } from '@protocol/settings.ts';
import { api, ApiError, setUnauthenticatedHandler } from './api/client.ts';
import type { AuthStatus, StaffView } from './api/types.ts';
import { ErrorNotice, Loading } from './components/notice.tsx';
import { LanguageSwitch } from './components/language-switch.tsx';
import { rememberedLanguage, useI18n } from './i18n/index.tsx';
import { ActivitiesPage } from './pages/activities-page.tsx';
import { AssistedCheckInPage } from './pages/assisted-checkin-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { BackfillPage } from './pages/backfill-page.tsx';
import { ActivityAttendancePage } from './pages/activity-attendance-page.tsx';
import { AuditPage } from './pages/audit-page.tsx';
import { BackupsPage } from './pages/backups-page.tsx';
import { CardPrintPage } from './pages/card-print-page.tsx';
import { CloseOutPage } from './pages/close-out-page.tsx';
import { ConnectionPage } from './pages/connection-page.tsx';
import { DevicesPage } from './pages/devices-page.tsx';
import { GoodsPage } from './pages/goods-page.tsx';
import { ImportPage } from './pages/import-page.tsx';
import { NoticePage } from './pages/notice-page.tsx';
import { BOARD_URL, NoticesPage } from './pages/notices-page.tsx';
import { OwnPasswordDialog } from './pages/own-password-dialog.tsx';
import { RedemptionsPage } from './pages/redemptions-page.tsx';
import { ReportsPage } from './pages/reports-page.tsx';
import { LoginPage, SetupPage } from './pages/sign-in-pages.tsx';
import { ReviewPage } from './pages/review-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';
import { SnapsPage } from './pages/snaps-page.tsx';
import { SnapSettingsPage } from './pages/snap-settings-page.tsx';
import { StaffPage } from './pages/staff-page.tsx';
import { TeamsPage } from './pages/teams-page.tsx';
import { VolunteerListPage } from './pages/volunteer-list-page.tsx';
import { VolunteerPage } from './pages/volunteer-page.tsx';
import { Link, match, navigate, useLocation } from './router.tsx';
import { PairingsPage, RequestsPage, ResidentsPage } from './service/service-pages.tsx';
import { InsuranceImportPage, InsurancePage } from './organizing/insurance-page.tsx';
import { TrainingPage, TrainingsPage } from './organizing/trainings-page.tsx';
import { permissionsOf, SessionContext, type Permission, type Session } from './session.tsx';

type NavKey =
  | 'volunteers'
  | 'teams'
  | 'activities'
  | 'review'
  | 'notices'
  | 'goods'
  | 'redemptions'
  | 'reports'
  | 'devices'
  | 'connection'
  | 'staff'
  | 'backups'
  | 'settings'
  | 'audit'
  | 'snaps'
  | 'residents'
  | 'requests'
  | 'pairings'
  | 'trainings'
  | 'insurance'
  | 'checkin'
  | 'home'
  | 'backfill';

/** The navigation, in the order staff use it; each entry only for roles whose API allows reading it. */
const navigation: { key: NavKey; path: string; permission: Permission }[] = [
  // The first screen after login (issue 12); roles without the register land on their first page as before.
  { key: 'home', path: '/home', permission: 'volunteers:read' },
  { key: 'volunteers', path: '/volunteers', permission: 'volunteers:read' },
  { key: 'teams', path: '/teams', permission: 'activities:read' },
  { key: 'activities', path: '/activities', permission: 'activities:read' },
  { key: 'review', path: '/review', permission: 'volunteers:read' },
  { key: 'snaps', path: '/snaps', permission: 'volunteers:read' },
  { key: 'notices', path: '/notices', permission: 'volunteers:read' },
  { key: 'goods', path: '/goods', permission: 'goods:write' },
  { key: 'redemptions', path: '/redemptions', permission: 'goods:write' },
  { key: 'reports', path: '/reports', permission: 'reports:read' },
  { key: 'devices', path: '/devices', permission: 'devices:manage' },
  { key: 'connection', path: '/connection', permission: 'devices:manage' },
  { key: 'staff', path: '/staff', permission: 'staff:manage' },
  { key: 'backups', path: '/backups', permission: 'backup:manage' },
  { key: 'settings', path: '/settings', permission: 'board:view' },
  { key: 'audit', path: '/audit', permission: 'audit:read' },
  // Organizing service (issue 13).
  { key: 'requests', path: '/requests', permission: 'requests:read' },
  { key: 'residents', path: '/residents', permission: 'residents:read' },
  { key: 'pairings', path: '/pairings', permission: 'residents:read' },
  // Trainings and insurance (issue 15).
  { key: 'trainings', path: '/trainings', permission: 'volunteers:read' },
  { key: 'insurance', path: '/insurance', permission: 'volunteers:read' },
  // What a newcomer expected (issue 12).
  { key: 'checkin', path: '/checkin', permission: 'attendance:write' },
  { key: 'backfill', path: '/attendance/bulk', permission: 'attendance:write' },
];

interface Route {
  pattern: string;
  permission: Permission;
  page: ComponentType<{ params: Record<string, string> }>;
  nav?: NavKey;
}

const routes: Route[] = [
  { pattern: '/volunteers', permission: 'volunteers:read', page: VolunteerListPage, nav: 'volunteers' },
  { pattern: '/volunteers/import', permission: 'volunteers:write', page: ImportPage, nav: 'volunteers' },
  { pattern: '/volunteers/:id', permission: 'volunteers:read', page: VolunteerPage, nav: 'volunteers' },
  { pattern: '/teams', permission: 'activities:read', page: TeamsPage, nav: 'teams' },
  { pattern: '/activities', permission: 'activities:read', page: ActivitiesPage, nav: 'activities' },
  { pattern: '/activities/:id', permission: 'activities:read', page: ActivityAttendancePage, nav: 'activities' },
  { pattern: '/review', permission: 'volunteers:read', page: ReviewPage, nav: 'review' },
  { pattern: '/snaps', permission: 'volunteers:read', page: SnapsPage, nav: 'snaps' },
  { pattern: '/snaps/settings', permission: 'volunteers:read', page: SnapSettingsPage, nav: 'snaps' },
  { pattern: '/notices', permission: 'volunteers:read', page: NoticesPage, nav: 'notices' },
  { pattern: '/notices/:id', permission: 'volunteers:read', page: NoticePage, nav: 'notices' },
  { pattern: '/goods', permission: 'goods:write', page: GoodsPage, nav: 'goods' },
  { pattern: '/redemptions', permission: 'goods:write', page: RedemptionsPage, nav: 'redemptions' },
  { pattern: '/redemptions/close-out', permission: 'goods:write', page: CloseOutPage, nav: 'redemptions' },
  { pattern: '/reports', permission: 'reports:read', page: ReportsPage, nav: 'reports' },
  { pattern: '/devices', permission: 'devices:manage', page: DevicesPage, nav: 'devices' },
  { pattern: '/connection', permission: 'devices:manage', page: ConnectionPage, nav: 'connection' },
  { pattern: '/staff', permission: 'staff:manage', page: StaffPage, nav: 'staff' },
  { pattern: '/backups', permission: 'backup:manage', page: BackupsPage, nav: 'backups' },
  { pattern: '/settings', permission: 'board:view', page: SettingsPage, nav: 'settings' },
  { pattern: '/audit', permission: 'audit:read', page: AuditPage, nav: 'audit' },
  { pattern: '/requests', permission: 'requests:read', page: RequestsPage, nav: 'requests' },
  { pattern: '/residents', permission: 'residents:read', page: ResidentsPage, nav: 'residents' },
  { pattern: '/pairings', permission: 'residents:read', page: PairingsPage, nav: 'pairings' },
  { pattern: '/trainings', permission: 'volunteers:read', page: TrainingsPage, nav: 'trainings' },
  { pattern: '/trainings/:id', permission: 'volunteers:read', page: TrainingPage, nav: 'trainings' },
  { pattern: '/insurance', permission: 'volunteers:read', page: InsurancePage, nav: 'insurance' },
  { pattern: '/insurance/import', permission: 'volunteers:write', page: InsuranceImportPage, nav: 'insurance' },
  { pattern: '/checkin', permission: 'attendance:write', page: AssistedCheckInPage, nav: 'checkin' },
  { pattern: '/home', permission: 'volunteers:read', page: HomePage, nav: 'home' },
  { pattern: '/attendance/bulk', permission: 'attendance:write', page: BackfillPage, nav: 'backfill' },
];

export function App() {
  const { m } = useI18n();
  const [status, setStatus] = useState<AuthStatus>();
  const [failure, setFailure] = useState<ApiError>();

  const refresh = useCallback(async () => {
    try {
      setStatus(await api.get<AuthStatus>('/auth/status'));
      setFailure(undefined);
    } catch (error) {
      setFailure(error as ApiError);
    }
  }, []);

  useEffect(() => {
    // A session that ends (expired, or the account was disabled) returns everyone to the login screen.
    setUnauthenticatedHandler(() => setStatus({ setupNeeded: false, user: null }));
    void refresh();
  }, [refresh]);

  if (failure) {
    return (
      <main class="sign-in">
        <div class="sign-in__card">
          <ErrorNotice error={failure} />
          <button class="button button--primary" onClick={() => void refresh()}>
            {m.common.retry}
          </button>
        </div>
      </main>
    );
  }
  if (!status) return <main class="sign-in"><Loading /></main>;
  if (status.setupNeeded) return <SetupPage onDone={refresh} />;
  if (!status.user) return <LoginPage onDone={refresh} />;
  return <Shell user={status.user} onSignedOut={refresh} />;
}

function Shell({ user, onSignedOut }: { user: StaffView; onSignedOut: () => Promise<void> }) {
  const { m, setLanguage } = useI18n();
  const [settings, setSettings] = useState<Settings>();
  const [failure, setFailure] = useState<ApiError>();
  const [changingPassword, setChangingPassword] = useState(false);
  const location = useLocation();

  const reloadSettings = useCallback(async () => {
    try {
      const loaded = await api.get<Settings>('/settings');
      setSettings(loaded);
      // The center's default language applies until this browser picks one itself.
      if (!rememberedLanguage()) setLanguage(loaded.defaultLanguage, false);
    } catch (error) {
      setFailure(error as ApiError);
    }
  }, [setLanguage]);

  useEffect(() => {
    void reloadSettings();
  }, [reloadSettings]);

  const home = navigation.find((item) => item.key !== 'settings' && permissionsOf(user)(item.permission))?.path;
  useEffect(() => {
    if (location.path === '/' && home) navigate(home, { replace: true });
  }, [location.path, home]);

  const session = useMemo<Session | null>(
    () =>
      settings
        ? {
            user,
            settings,
            can: permissionsOf(user),
            reloadSettings,
            async signOut() {
              await api.post('/auth/logout').catch(() => undefined);
              await onSignedOut();
            },
          }
        : null,
    [user, settings, reloadSettings, onSignedOut],
  );

  if (failure) return <main class="sign-in"><ErrorNotice error={failure} /></main>;
  if (!session) return <main class="sign-in"><Loading /></main>;

  const allowed = navigation.filter((item) => session.can(item.permission));
  const path = location.path;

  // The print page is a sheet of cards, not a screen of the app: no navigation around it.
  if (match('/print', path)) {
    return (
      <SessionContext.Provider value={session}>
        {session.can('volunteers:read') ? <CardPrintPage /> : <ErrorNotice error={new ApiError(403, 'FORBIDDEN', '')} />}
      </SessionContext.Provider>
    );
  }

  let content = <NotFound />;
  let active: NavKey | undefined;
  for (const route of routes) {
    const params = match(route.pattern, path);
    if (!params) continue;
    active = route.nav;
    const Page = route.page;
    content = session.can(route.permission) ? <Page params={params} /> : <ErrorNotice error={new ApiError(403, 'FORBIDDEN', '')} />;
    break;
  }

  return (
    <SessionContext.Provider value={session}>
      <div class="shell">
        <header class="topbar">
          <div class="topbar__brand">
            <span class="topbar__logo" aria-hidden="true">
              志
            </span>
            <div>
              <strong>{settings!.centerName}</strong>
              <span class="topbar__app">{m.app.adminTitle}</span>
            </div>
          </div>
          <div class="topbar__user">
            <LanguageSwitch />
            <span class="topbar__who">
              {user.displayName} · {m.roles[user.role]}
            </span>
            <button class="button button--quiet" onClick={() => setChangingPassword(true)}>
              {m.account.changePassword}
            </button>
            <button class="button button--quiet" onClick={() => void session.signOut()}>
              {m.app.signOut}
            </button>
          </div>
        </header>
        <nav class="nav" aria-label={m.app.navigation}>
          {allowed.map((item) => (
            <Link key={item.key} to={item.path} class={`nav__item${active === item.key ? ' nav__item--active' : ''}`} aria-current={active === item.key ? 'page' : undefined}>
              {m.nav[item.key]}
            </Link>
          ))}
          {/* The TV board takes a staff session as a viewer's: it opens signed in, in its own tab. */}
          <a class="nav__item nav__item--out" href={BOARD_URL} target="_blank" rel="noopener">
            {m.nav.board} <span aria-hidden="true">↗</span>
          </a>
        </nav>
        <main class="content">
          {path === '/' && !home ? <p class="notice">{m.app.counterOnly}</p> : content}
        </main>
      </div>
      {changingPassword && <OwnPasswordDialog onClose={() => setChangingPassword(false)} />}
    </SessionContext.Provider>
  );
}

function NotFound() {
  const m = useI18n().m;
  return <p class="notice">{m.app.notFound}</p>;
}
