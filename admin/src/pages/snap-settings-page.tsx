import { useState } from 'preact/hooks';
import { defaultSnapSettings, snapCategoryKeys, type SnapCategory, type SnapSettings } from '@protocol/me.ts';
import { settingsPatchSchema, type Settings } from '@protocol/settings.ts';
import { api } from '../api/client.ts';
import { Field, numberOrUndefined, SaveBar, useForm } from '../components/form.tsx';
import { Page } from '../components/page.tsx';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';

type PointsKey = `points-${SnapCategory}`;
type Values = Record<PointsKey, string> & { boardThumbnails: boolean; maxUploadMegabytes: string };

const MEGABYTE = 1_000_000;

function valuesOf(settings: Settings): Values {
  const snaps: SnapSettings = settings.snaps ?? defaultSnapSettings;
  const points = (key: SnapCategory) => snaps.categories.find((c) => c.key === key)?.points ?? defaultSnapSettings.categories.find((c) => c.key === key)?.points ?? 0;
  return {
    ...(Object.fromEntries(snapCategoryKeys.map((key) => [`points-${key}`, String(points(key))])) as Record<PointsKey, string>),
    boardThumbnails: snaps.boardThumbnails,
    maxUploadMegabytes: String(snaps.maxUploadBytes / MEGABYTE),
  };
}

/**
 * 随手拍 settings (`settings.snaps`): the default points per category that the review dialog
 * fills in, whether the public board may show photos of handled reports, and the upload limit.
 * Saved through PATCH /api/settings like the center's other rules; admins only.
 */
export function SnapSettingsPage() {
  const m = useMessages();
  const s = m.snapSettings;
  const session = useSession();
  const writable = session.can('settings:write');
  const form = useForm<Values>(valuesOf(session.settings));
  const [saved, setSaved] = useState(false);
  const v = form.values;

  const submit = (event: Event) => {
    event.preventDefault();
    setSaved(false);
    const megabytes = numberOrUndefined(v.maxUploadMegabytes);
    const patch = {
      snaps: {
        // An emptied box is a mistake to point out, not "no points".
        categories: snapCategoryKeys.map((key) => ({ key, points: numberOrUndefined(v[`points-${key}`]) ?? Number.NaN })),
        boardThumbnails: v.boardThumbnails,
        maxUploadBytes: megabytes === undefined ? Number.NaN : Math.round(megabytes * MEGABYTE),
      },
    };
    void form.submit(settingsPatchSchema, patch, async (input) => {
      const updated = await api.patch<Settings>('/settings', input);
      await session.reloadSettings();
      form.reset(valuesOf(updated));
      setSaved(true);
    });
  };

  return (
    <Page title={s.title} subtitle={<Link to="/snaps">{s.back}</Link>}>
      <form class="settings" onSubmit={submit} noValidate data-testid="snap-settings">
        <p class="muted">{s.intro}</p>
        <fieldset class="panel form form--grid" disabled={!writable}>
          <legend>{s.categoriesTitle}</legend>
          {snapCategoryKeys.map((key, index) => (
            <Field key={key} label={m.snapCategories[key]} error={form.error(`snaps.categories.${index}.points`)}>
              <input {...form.text(`points-${key}`)} type="number" inputMode="decimal" min={0} max={1000} step={0.5} data-testid={`snap-points-${key}`} />
            </Field>
          ))}
        </fieldset>
        <fieldset class="panel form form--grid" disabled={!writable}>
          <legend>{m.nav.snaps}</legend>
          <Field label={s.boardPhotos} error={form.error('snaps.boardThumbnails')} hint={s.boardThumbnailsHint}>
            <label class="check">
              <input type="checkbox" checked={v.boardThumbnails} data-testid="snap-board-thumbnails" onChange={(event) => form.set('boardThumbnails', event.currentTarget.checked)} />
              {s.boardThumbnails}
            </label>
          </Field>
          <Field label={s.maxUploadMegabytes} error={form.error('snaps.maxUploadBytes')} hint={s.maxUploadHint}>
            <input {...form.text('maxUploadMegabytes')} type="number" inputMode="decimal" min={0.1} max={20} step={0.1} />
          </Field>
        </fieldset>
        {writable && <SaveBar form={form} saved={saved} savedText={s.saved} label={s.save} />}
      </form>
    </Page>
  );
}
