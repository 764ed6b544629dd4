import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.ts';
import type { HubLinkStatus } from '@protocol/district.ts';
import { ErrorNotice } from '../components/notice.tsx';
import { useMessages } from '../i18n/index.tsx';
import { useResource } from '../use-resource.ts';

/** The district hub link (docs/district.md): its state and lag, and where to set it when the environment does not. */
export function HubLinkPanel() {
  const m = useMessages().hubLink;
  const link = useResource<HubLinkStatus>('/hub-link', { pollMs: 5000 });
  const [url, setUrl] = useState('');
  const [joinKey, setJoinKey] = useState('');
  const [failure, setFailure] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const status = link.data;

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    try {
      await api.put('/hub-link', { url, joinKey });
      setJoinKey('');
      setFailure(undefined);
      await link.reload();
    } catch (caught) {
      setFailure(caught instanceof ApiError ? caught : undefined);
    } finally {
      setBusy(false);
    }
  }

  return (
    <article class="panel hub-link" data-state={status?.state}>
      <header class="panel__header">
        <h2>{m.title}</h2>
        {status && <span class={`badge ${status.state === 'error' ? 'badge--warn' : ''}`}>{m.states[status.state]}</span>}
      </header>
      <ErrorNotice error={link.error} />
      {status && (
        <dl class="hub-link__facts">
          <dt>{m.hub}</dt>
          <dd class="mono">{status.url ?? m.none}</dd>
          <dt>{m.lag}</dt>
          <dd>{status.lag === null ? m.unknown : m.records(status.lag)}</dd>
          <dt>{m.lastContact}</dt>
          <dd>{status.lastContactAt ? new Date(status.lastContactAt).toLocaleString() : m.never}</dd>
          {status.lastError && (
            <>
              <dt>{m.lastError}</dt>
              <dd class="mono">{status.lastError}</dd>
            </>
          )}
        </dl>
      )}
      <p class="muted">{m.intro}</p>
      {status?.source === 'env' ? (
        <p class="muted">{m.fromEnv}</p>
      ) : (
        <form class="hub-link__form" onSubmit={(event) => void save(event)}>
          <label>
            {m.url}
            <input type="url" required value={url} placeholder="https://hub.example.org" onInput={(event) => setUrl(event.currentTarget.value)} />
          </label>
          <label>
            {m.joinKey}
            <input type="password" required autocomplete="off" value={joinKey} onInput={(event) => setJoinKey(event.currentTarget.value)} />
          </label>
          <button class="button" type="submit" disabled={busy}>
            {m.save}
          </button>
          <ErrorNotice error={failure} />
        </form>
      )}
    </article>
  );
}
