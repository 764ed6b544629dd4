import { useState } from 'preact/hooks';
import { settingsPatchSchema, type Settings } from '@protocol/settings.ts';
import { api } from '../api/client.ts';
import { Field, numberOrUndefined, SaveBar, useForm } from '../components/form.tsx';
import { Page } from '../components/page.tsx';
import { languages, useMessages } from '../i18n/index.tsx';
import { useSession } from '../session.tsx';
import { parseDayList, formatDayList } from '../day-list.ts';

type RoundingMode = Settings['hours']['roundingMode'];

function valuesOf(s: Settings) {
  const rule = s.points.defaultRule;
  return {
    centerName: s.centerName,
    timeZone: s.timeZone,
    repeatWindowSeconds: String(s.repeatWindowSeconds),
    checkInOpensMinutesBefore: String(s.checkInOpensMinutesBefore),
    graceMinutes: String(s.hours.graceMinutes),
    roundingMinutes: String(s.hours.roundingMinutes),
    roundingMode: s.hours.roundingMode,
    maxHoursPerAttendance: s.hours.maxHoursPerAttendance === null ? '' : String(s.hours.maxHoursPerAttendance),
    autoCloseEnabled: s.autoClose.enabled,
    autoCloseCredit: s.autoClose.credit,
    ruleKind: rule.kind,
    ruleAmount: String(rule.kind === 'perHour' ? rule.pointsPerHour : rule.points),
    thresholds: s.stars.thresholds.map(String),
    starPeriod: s.stars.period,
    minPoints: s.stars.minPoints == null ? '' : String(s.stars.minPoints),
    minEvaluation: s.stars.minEvaluation == null ? '' : String(s.stars.minEvaluation),
    publicNames: s.publicNames,
    showRedemptions: s.board.showRedemptions,
    receiptRetentionDays: String(s.receiptRetentionDays),
    defaultLanguage: s.defaultLanguage,
    publicVerifyUrl: s.certificate.publicVerifyUrl,
    centerPhone: s.certificate.centerPhone,
    holidays: formatDayList(s.calendar?.holidays ?? []),
    workdays: formatDayList(s.calendar?.workdays ?? []),
  };
}
type Values = ReturnType<typeof valuesOf>;
type TextKey = { [K in keyof Values]: Values[K] extends string ? K : never }[keyof Values];

/** The center's rules: every field rule of the design brief is a number here, not in the code. */
export function SettingsPage() {
  const m = useMessages();
  const session = useSession();
  const writable = session.can('settings:write');
  const form = useForm<Values>(valuesOf(session.settings));
  const [saved, setSaved] = useState(false);
  const [dayProblems, setDayProblems] = useState<{ holidays: string[]; workdays: string[] }>({ holidays: [], workdays: [] });
  // A wrong line is named until the list is edited again, not until the next save.
  const editDays = (key: 'holidays' | 'workdays', value: string) => {
    form.set(key, value);
    setDayProblems((problems) => (problems[key].length > 0 ? { ...problems, [key]: [] } : problems));
  };
  const dayError = (key: 'holidays' | 'workdays') => (dayProblems[key].length > 0 ? m.settings.calendarWrong(dayProblems[key].join('、')) : form.error(`calendar.${key}`));
  const v = form.values;
  const num = (key: TextKey) => numberOrUndefined(v[key]);
  // Every setting has a value; an emptied box is a mistake to point out, not "keep the old one".
  const required = (key: TextKey) => num(key) ?? Number.NaN;

  const submit = (event: Event) => {
    event.preventDefault();
    setSaved(false);
    const amount = required('ruleAmount');
    const holidays = parseDayList(v.holidays);
    const workdays = parseDayList(v.workdays);
    const patch = {
      centerName: v.centerName,
      timeZone: v.timeZone.trim(),
      repeatWindowSeconds: required('repeatWindowSeconds'),
      checkInOpensMinutesBefore: required('checkInOpensMinutesBefore'),
      hours: { graceMinutes: required('graceMinutes'), roundingMinutes: required('roundingMinutes'), roundingMode: v.roundingMode, maxHoursPerAttendance: num('maxHoursPerAttendance') ?? null },
      autoClose: { enabled: v.autoCloseEnabled, credit: v.autoCloseCredit },
      points: { defaultRule: v.ruleKind === 'perHour' ? { kind: 'perHour', pointsPerHour: amount } : { kind: 'fixed', points: amount } },
      stars: { thresholds: v.thresholds.map((t) => numberOrUndefined(t) ?? Number.NaN), period: v.starPeriod, minPoints: num('minPoints') ?? null, minEvaluation: num('minEvaluation') ?? null },
      publicNames: v.publicNames,
      board: { showRedemptions: v.showRedemptions },
      receiptRetentionDays: required('receiptRetentionDays'),
      defaultLanguage: v.defaultLanguage,
      certificate: { publicVerifyUrl: v.publicVerifyUrl, centerPhone: v.centerPhone },
      calendar: { holidays: holidays.days, workdays: workdays.days },
    };
    if (holidays.wrong.length + workdays.wrong.length > 0) {
      setDayProblems({ holidays: holidays.wrong, workdays: workdays.wrong });
      return;
    }
    setDayProblems({ holidays: [], workdays: [] });
    void form.submit(settingsPatchSchema, patch, async (input) => {
      const updated = await api.patch<Settings>('/settings', input);
      await session.reloadSettings();
      form.reset(valuesOf(updated));
      setSaved(true);
    });
  };
  const thresholdError = form.error('stars.thresholds') ?? [0, 1, 2, 3, 4].map((i) => form.error(`stars.thresholds.${i}`)).find(Boolean);
  const numberField = (key: TextKey, label: string, path: string, hint?: string, attrs: Record<string, number> = {}) => (
    <Field label={label} error={form.error(path)} hint={hint}>
      <input {...form.text(key)} type="number" inputMode="numeric" {...attrs} />
    </Field>
  );

  return (
    <Page title={m.nav.settings} subtitle={writable ? undefined : m.settings.readOnly}>
      <form class="settings" onSubmit={submit} noValidate>
        <fieldset class="panel form form--grid" disabled={!writable}>
          <legend>{m.settings.center}</legend>
          <Field label={m.settings.centerName} error={form.error('centerName')}>
            <input {...form.text('centerName')} maxLength={60} />
          </Field>
          <Field label={m.settings.timeZone} error={form.error('timeZone')} hint={m.settings.timeZoneHint}>
            <input {...form.text('timeZone')} />
          </Field>
          <Field label={m.settings.defaultLanguage} error={form.error('defaultLanguage')} hint={m.settings.defaultLanguageHint}>
            <select value={v.defaultLanguage} onChange={(event) => form.set('defaultLanguage', event.currentTarget.value as Values['defaultLanguage'])}>
              {languages.map((lang) => (
                <option key={lang} value={lang}>
                  {m.languages[lang]}
                </option>
              ))}
            </select>
          </Field>
          <Field label={m.settings.publicNames} error={form.error('publicNames')} hint={m.settings.publicNamesHint}>
            <select value={v.publicNames} onChange={(event) => form.set('publicNames', event.currentTarget.value as Values['publicNames'])}>
              <option value="masked">{m.settings.namesMasked}</option>
              <option value="full">{m.settings.namesFull}</option>
            </select>
          </Field>
          <Field label={m.settings.boardRedemptions} error={form.error('board.showRedemptions')} hint={m.settings.boardRedemptionsHint}>
            <label class="check">
              <input type="checkbox" checked={v.showRedemptions} onChange={(event) => form.set('showRedemptions', event.currentTarget.checked)} />
              {m.settings.boardRedemptionsShow}
            </label>
          </Field>
        </fieldset>

        <fieldset class="panel form form--grid" disabled={!writable}>
          <legend>{m.settings.signIn}</legend>
          {numberField('repeatWindowSeconds', m.settings.repeatWindow, 'repeatWindowSeconds', m.settings.repeatWindowHint, { min: 0, max: 3600 })}
          {numberField('checkInOpensMinutesBefore', m.settings.opensBefore, 'checkInOpensMinutesBefore', m.settings.opensBeforeHint, { min: 0, max: 720 })}
          <Field label={m.settings.autoClose} error={form.error('autoClose.enabled')}>
            <label class="check">
              <input type="checkbox" checked={v.autoCloseEnabled} onChange={(event) => form.set('autoCloseEnabled', event.currentTarget.checked)} />
              {m.settings.autoCloseEnabled}
            </label>
          </Field>
          <Field label={m.settings.autoCloseCredit} error={form.error('autoClose.credit')}>
            <select value={v.autoCloseCredit} onChange={(event) => form.set('autoCloseCredit', event.currentTarget.value as Values['autoCloseCredit'])}>
              <option value="untilEnd">{m.settings.creditUntilEnd}</option>
              <option value="none">{m.settings.creditNone}</option>
            </select>
          </Field>
        </fieldset>

        <fieldset class="panel form form--grid" disabled={!writable}>
          <legend>{m.settings.hours}</legend>
          {numberField('graceMinutes', m.settings.grace, 'hours.graceMinutes', m.settings.graceHint, { min: 0, max: 240 })}
          {numberField('roundingMinutes', m.settings.roundingStep, 'hours.roundingMinutes', undefined, { min: 1, max: 120 })}
          <Field label={m.settings.roundingMode} error={form.error('hours.roundingMode')}>
            <select value={v.roundingMode} onChange={(event) => form.set('roundingMode', event.currentTarget.value as RoundingMode)}>
              {(['down', 'nearest', 'up'] as const).map((mode) => (
                <option key={mode} value={mode}>
                  {m.settings.rounding[mode]}
                </option>
              ))}
            </select>
          </Field>
          {numberField('maxHoursPerAttendance', m.settings.maxHours, 'hours.maxHoursPerAttendance', m.settings.maxHoursHint, { min: 0.5, max: 24 })}
        </fieldset>

        <fieldset class="panel form form--grid" disabled={!writable}>
          <legend>{m.settings.pointsAndStars}</legend>
          <Field label={m.settings.pointsRule} error={form.error('points.defaultRule.kind')}>
            <select value={v.ruleKind} onChange={(event) => form.set('ruleKind', event.currentTarget.value as Values['ruleKind'])}>
              <option value="perHour">{m.activities.rulePerHour}</option>
              <option value="fixed">{m.activities.ruleFixed}</option>
            </select>
          </Field>
          <Field
            label={v.ruleKind === 'perHour' ? m.activities.pointsPerHour : m.activities.fixedPoints}
            error={form.error(v.ruleKind === 'perHour' ? 'points.defaultRule.pointsPerHour' : 'points.defaultRule.points')}
          >
            <input {...form.text('ruleAmount')} type="number" min={0} step={0.1} inputMode="decimal" />
          </Field>
          <Field label={m.settings.starPeriod} error={form.error('stars.period')}>
            <select value={v.starPeriod} onChange={(event) => form.set('starPeriod', event.currentTarget.value as Values['starPeriod'])}>
              <option value="lifetime">{m.settings.periodLifetime}</option>
              <option value="calendarYear">{m.settings.periodYear}</option>
            </select>
          </Field>
          {numberField('minPoints', m.settings.minPoints, 'stars.minPoints', m.settings.minPointsHint, { min: 0 })}
          {numberField('minEvaluation', m.settings.minEvaluation, 'stars.minEvaluation', m.settings.minEvaluationHint, { min: 0, max: 100 })}
          <fieldset class="field field--wide">
            <legend class="field__label">{m.settings.thresholds}</legend>
            <div class="thresholds">
              {v.thresholds.map((value, index) => (
                <label key={index} class="thresholds__item">
                  <span>{m.volunteers.starLevel(index + 1)}</span>
                  <input
                    type="number"
                    min={1}
                    inputMode="numeric"
                    aria-label={m.volunteers.starLevel(index + 1)}
                    value={value}
                    onInput={(event) => form.set('thresholds', v.thresholds.map((t, i) => (i === index ? event.currentTarget.value : t)))}
                  />
                </label>
              ))}
            </div>
            {thresholdError ? <span class="field__error">{thresholdError}</span> : <span class="field__hint">{m.settings.thresholdsHint}</span>}
          </fieldset>
        </fieldset>

        <fieldset class="panel form form--grid" disabled={!writable}>
          <legend>{m.settings.certificateCheck}</legend>
          <Field label={m.settings.centerPhone} error={form.error('certificate.centerPhone')} hint={m.settings.centerPhoneHint}>
            <input {...form.text('centerPhone')} type="tel" inputMode="tel" maxLength={40} autoComplete="off" />
          </Field>
          <Field label={m.settings.publicVerifyUrl} error={form.error('certificate.publicVerifyUrl')} hint={m.settings.publicVerifyUrlHint}>
            <input {...form.text('publicVerifyUrl')} type="url" inputMode="url" maxLength={200} placeholder="https://" autoComplete="off" />
          </Field>
        </fieldset>

        <fieldset class="panel form form--grid" disabled={!writable}>
          <legend>{m.settings.calendar}</legend>
          <Field label={m.settings.holidays} error={dayError('holidays')} hint={m.settings.calendarHint}>
            <textarea name="holidays" rows={4} value={v.holidays} placeholder="2026-10-01~2026-10-07" onInput={(event) => editDays('holidays', event.currentTarget.value)} />
          </Field>
          <Field label={m.settings.workdays} error={dayError('workdays')} hint={m.settings.workdaysHint}>
            <textarea name="workdays" rows={4} value={v.workdays} placeholder="2026-09-27" onInput={(event) => editDays('workdays', event.currentTarget.value)} />
          </Field>
        </fieldset>

        <fieldset class="panel form form--grid" disabled={!writable}>
          <legend>{m.settings.records}</legend>
          {numberField('receiptRetentionDays', m.settings.retention, 'receiptRetentionDays', m.settings.retentionHint, { min: 7, max: 3650 })}
        </fieldset>

        {writable && <SaveBar form={form} saved={saved} savedText={m.settings.saved} label={m.common.save} />}
      </form>
    </Page>
  );
}
