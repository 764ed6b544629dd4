import type { ApiError } from '../api/client.ts';
import { errorText, useMessages } from '../i18n/index.tsx';

export function ErrorNotice({ error }: { error: ApiError | undefined }) {
  const m = useMessages();
  if (!error) return null;
  return (
    <p class="notice notice--error" role="alert">
      {errorText(m, error.code)}
    </p>
  );
}

export function Loading() {
  const m = useMessages();
  return <p class="muted">{m.common.loading}</p>;
}
