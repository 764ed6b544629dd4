import type { ApiError } from '../api/client.ts';
import { errorText, useMessages } from '../i18n/index.tsx';

export function ErrorNotice({ error }: { error: ApiError | undefined }) {
  const m = useMessages();
  if (!error) return null;
  const overlap = error.code === 'CONFLICT' && error.details?.problem === 'OVERLAP';
  const activity = error.details?.activityTitle;
  return (
    <p class="notice notice--error" role="alert">
      {overlap ? m.backfill.problems.OVERLAP : errorText(m, error.code)}
      {overlap && typeof activity === 'string' && activity !== '' ? m.attendance.overlapWith(activity) : null}
    </p>
  );
}

export function Loading() {
  const m = useMessages();
  return <p class="muted">{m.common.loading}</p>;
}
