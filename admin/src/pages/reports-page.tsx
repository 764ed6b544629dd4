import { useState } from 'preact/hooks';
import type { HoursByThemeReport, Report, ReportInfo, ReportName } from '@protocol/reports.ts';
import { query } from '../api/client.ts';
import type { Items, TeamView, VolunteerView } from '../api/types.ts';
import { Field } from '../components/form.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Page } from '../components/page.tsx';
import { VolunteerField } from '../components/volunteer-picker.tsx';
import { useFormat } from '../format.ts';
import { useMessages } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import { addMonths, dayIn, lastDayOf } from '../time.ts';
import { useResource } from '../use-resource.ts';
import { ReportBody } from './report-body.tsx';
import { ServiceReportPanel } from '../service/service-report-panel.tsx';

type PeriodKind = 'thisMonth' | 'lastMonth' | 'thisYear' | 'custom';
const periodKinds: PeriodKind[] = ['thisMonth', 'lastMonth', 'thisYear', 'custom'];
// `service`: hours from completed requests and pairing visits (issue 13), beside 签到记录.
const rawExports = ['attendance', 'ledger', 'redemptions', 'service'] as const;

function periodOf(kind: PeriodKind, today: string, custom: { from: string; to: string }): { from: string; to: string } {
  const month = today.slice(0, 7);
  switch (kind) {
    case 'thisMonth':
      return { from: `${month}-01`, to: lastDayOf(month) };
    case 'lastMonth': {
      const last = addMonths(month, -1);
      return { from: `${last}-01`, to: lastDayOf(last) };
    }
    case 'thisYear':
      return { from: `${today.slice(0, 4)}-01-01`, to: `${today.slice(0, 4)}-12-31` };
    case 'custom':
      return custom;
  }
}

/**
 * Monthly and yearly figures for the street office (街道): a period, filters, each report as
 * figures, chart and table, its Excel and CSV, the raw records, and the printed ledger and
 * year-end summary served by the server.
 */
export function ReportsPage() {
  const m = useMessages();
  const format = useFormat();
  const { can } = useSession();
  const today = dayIn(new Date(), format.timeZone);
  const [periodKind, setPeriodKind] = useState<PeriodKind>('thisMonth');
  const [custom, setCustom] = useState(() => periodOf('thisMonth', today, { from: today, to: today }));
  const [teamId, setTeamId] = useState('');
  const [theme, setTheme] = useState('');
  const [volunteer, setVolunteer] = useState<VolunteerView>();
  const [name, setName] = useState<ReportName>('hours-by-month');
  const [summaryYear, setSummaryYear] = useState(today.slice(0, 4));
  const chosenPeriod = periodOf(periodKind, today, custom);
  // The year-end summary covers a calendar year, picked beside it, whatever period the other reports use.
  const period = name === 'year-summary' ? { from: `${summaryYear}-01-01`, to: `${summaryYear}-12-31` } : chosenPeriod;
  const validPeriod = period.from !== '' && period.to !== '' && period.from <= period.to;
  const filters = { teamId, theme, volunteerId: volunteer?.id };
  const params = query({ ...period, ...filters });
  const recentYears = Array.from({ length: 6 }, (_, i) => String(Number(today.slice(0, 4)) - i));
  // People's names are for staff roles: a viewer sees the figures, not the lists.
  const seesPeople = can('volunteers:read');

  const catalog = useResource<Items<ReportInfo>>('/reports');
  const reports = (catalog.data?.items ?? []).filter((r) => seesPeople || !r.personal);
  const teams = useResource<Items<TeamView>>('/teams');
  const themes = useResource<HoursByThemeReport>(validPeriod ? `/reports/hours-by-theme${query({ ...period, teamId })}` : null);
  const report = useResource<Report>(validPeriod ? `/reports/${name}${params}` : null);
  const info = reports.find((r) => r.name === name);
  const personal = (info?.personal ?? false) || volunteer !== undefined;
  const shown = report.data?.report === name ? report.data : undefined;
  const [ledgerMonth, setLedgerMonth] = useState(today.slice(0, 7));
  const printFilters = { teamId, theme };

  return (
    <Page title={m.nav.reports} subtitle={m.reports.intro}>
      <section class="panel report__controls">
        <div class="toolbar">
          <div class="segmented" role="radiogroup" aria-label={m.reports.period}>
            {periodKinds.map((kind) => (
              <button key={kind} role="radio" aria-checked={periodKind === kind} class={`segmented__item${periodKind === kind ? ' segmented__item--on' : ''}`} onClick={() => setPeriodKind(kind)}>
                {m.reports.periods[kind]}
              </button>
            ))}
          </div>
          {periodKind === 'custom' ? (
            <div class="toolbar__group">
              <input type="date" aria-label={m.certificates.from} value={custom.from} onChange={(event) => setCustom({ ...custom, from: event.currentTarget.value })} />
              <span>–</span>
              <input type="date" aria-label={m.certificates.to} value={custom.to} onChange={(event) => setCustom({ ...custom, to: event.currentTarget.value })} />
            </div>
          ) : (
            <strong data-testid="report-period">{m.reports.periodText(period.from, period.to)}</strong>
          )}
        </div>
        <div class="report__filters">
          <Field label={m.volunteers.teams}>
            <select value={teamId} onChange={(event) => setTeamId(event.currentTarget.value)}>
              <option value="">{m.volunteers.allTeams}</option>
              {teams.data?.items.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={m.activities.theme}>
            <select value={theme} onChange={(event) => setTheme(event.currentTarget.value)}>
              <option value="">{m.reports.allThemes}</option>
              {themes.data?.items
                .filter((t) => t.theme !== null)
                .map((t) => (
                  <option key={t.theme} value={t.theme!}>
                    {t.themeName}
                  </option>
                ))}
              {theme && !themes.data?.items.some((t) => t.theme === theme) && <option value={theme}>{theme}</option>}
            </select>
          </Field>
          {seesPeople && (
            <div>
              <VolunteerField label={m.reports.oneVolunteer} chosen={volunteer} onChange={setVolunteer} />
            </div>
          )}
        </div>
        {!validPeriod && <p class="notice notice--warn">{m.reports.badPeriod}</p>}
      </section>

      <div class="tabs report__tabs" role="tablist">
        {reports.map((r) => (
          <button key={r.name} role="tab" aria-selected={name === r.name} class={`tab${name === r.name ? ' tab--active' : ''}`} onClick={() => setName(r.name)}>
            {m.reports.names[r.name]}
          </button>
        ))}
      </div>
      <ErrorNotice error={catalog.error ?? report.error} />

      <section class="panel report" aria-label={m.reports.names[name]}>
        <header class="panel__header">
          <h2>
            {m.reports.names[name]}{' '}
            {name === 'year-summary' ? (
              <select class="report__year" aria-label={m.reports.summaryYear} value={summaryYear} onChange={(event) => setSummaryYear(event.currentTarget.value)}>
                {recentYears.map((year) => (
                  <option key={year} value={year}>
                    {m.reports.yearOption(year)}
                  </option>
                ))}
              </select>
            ) : (
              <span class="muted report__period">{m.reports.periodText(period.from, period.to)}</span>
            )}
          </h2>
          {validPeriod && (!personal || can('exports:personal')) && (
            <span class="actions">
              <a class="button button--small" href={`/api/reports/${name}.xlsx${params}`} download>
                {m.reports.exportXlsx}
              </a>
              <a class="button button--small" href={`/api/reports/${name}.csv${params}`} download>
                {m.reports.exportCsv}
              </a>
            </span>
          )}
        </header>
        {shown ? <ReportBody report={shown} /> : validPeriod && !report.error && <Loading />}
      </section>

      <div class="report__columns">
        <ServiceReportPanel period={chosenPeriod} />
        <section class="panel">
          <h2>{m.reports.printTitle}</h2>
          <p class="muted">{m.reports.printIntro}</p>
          <div class="actions">
            <input type="month" class="month-picker" aria-label={m.reports.ledgerMonth} value={ledgerMonth} max={today.slice(0, 7)} onChange={(event) => event.currentTarget.value && setLedgerMonth(event.currentTarget.value)} />
            <a class="button" href={`/print/ledger${query({ month: ledgerMonth, ...printFilters })}`} target="_blank" rel="noopener">
              {m.reports.printLedger(m.reports.monthLabel(ledgerMonth))}
            </a>
          </div>
          <div class="actions">
            <a class="button" href={`/print/year-summary${query({ year: period.from.slice(0, 4), ...printFilters })}`} target="_blank" rel="noopener">
              {m.reports.printYearSummary(period.from.slice(0, 4))}
            </a>
          </div>
        </section>
        {can('exports:personal') && (
          <section class="panel">
            <h2>{m.reports.rawTitle}</h2>
            <p class="muted">{m.reports.rawIntro}</p>
            <div class="raw-exports">
              {rawExports.map((kind) => (
                <div key={kind} class="raw-exports__row">
                  <span>{m.reports.raw[kind]}</span>
                  <a class="button button--small" href={`/api/exports/${kind}.xlsx${query({ ...period, ...filters })}`} download>
                    Excel
                  </a>
                  <a class="button button--small" href={`/api/exports/${kind}.csv${query({ ...period, ...filters })}`} download>
                    CSV
                  </a>
                </div>
              ))}
            </div>
          </section>
        )}
      </div>
    </Page>
  );
}
