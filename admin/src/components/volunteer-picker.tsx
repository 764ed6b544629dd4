import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { query } from '../api/client.ts';
import type { Page as ListPage, VolunteerView } from '../api/types.ts';
import { useMessages } from '../i18n/index.tsx';
import { useDebounced, useResource } from '../use-resource.ts';
import { Field } from './form.tsx';

/** How many matches a search shows: staff type more letters rather than scroll. */
const MATCHES = 8;

/**
 * Search-as-you-type over the register (name, pinyin initials, card number, phone); a click
 * hands the volunteer to `onPick` and clears the box for the next one.
 */
export function VolunteerSearch({
  label,
  hint,
  error,
  onPick,
  exclude,
  autoFocus,
}: {
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string;
  onPick: (volunteer: VolunteerView) => void;
  /** Volunteers not to offer, e.g. the team's members already. */
  exclude?: ReadonlySet<string>;
  autoFocus?: boolean;
}) {
  const m = useMessages();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 200);
  const found = useResource<ListPage<VolunteerView>>(q ? `/volunteers${query({ q, limit: MATCHES })}` : null);
  const matches = (found.data?.items ?? []).filter((v) => !exclude?.has(v.id));
  return (
    <>
      <Field label={label} hint={hint} error={error}>
        <input type="search" value={search} onInput={(event) => setSearch(event.currentTarget.value)} placeholder={m.volunteers.searchPlaceholder} autoFocus={autoFocus} />
      </Field>
      {q && found.data && (
        <ul class="pick-list">
          {matches.map((v) => (
            <li key={v.id}>
              <button
                type="button"
                class="pick-list__item"
                onClick={() => {
                  setSearch('');
                  onPick(v);
                }}
              >
                {v.name} <span class="mono muted">{v.cardNo}</span> <span class="muted">{v.teamNames.filter(Boolean).join('、')}</span>
              </button>
            </li>
          ))}
          {matches.length === 0 && <li class="muted">{m.volunteers.noMatch}</li>}
        </ul>
      )}
    </>
  );
}

/** One volunteer to choose for a form: the search until someone is chosen, then the choice with a "change" button. */
export function VolunteerField({
  label,
  error,
  chosen,
  onChange,
  autoFocus,
}: {
  label: ComponentChildren;
  error?: string;
  chosen: Pick<VolunteerView, 'name' | 'cardNo'> | undefined;
  onChange: (volunteer: VolunteerView | undefined) => void;
  autoFocus?: boolean;
}) {
  const m = useMessages();
  if (!chosen) return <VolunteerSearch label={label} error={error} hint={m.attendance.findVolunteer} onPick={onChange} autoFocus={autoFocus} />;
  return (
    <Field label={label} error={error}>
      <span class="picked">
        <strong>{chosen.name}</strong> <span class="mono muted">{chosen.cardNo}</span>
        <button type="button" class="button button--small button--quiet" onClick={() => onChange(undefined)}>
          {m.common.change}
        </button>
      </span>
    </Field>
  );
}
