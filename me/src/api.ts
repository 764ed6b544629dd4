import type { MeActivitiesView, MeActivity, MeView, MySnapView } from '@protocol/me.ts';
import type { KioskTask, TaskAcceptSuccess, TaskDeclineSuccess } from '@protocol/service.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

/** The phone's session cookie rides along on its own (same origin); no token is ever in script reach. */
async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { credentials: 'same-origin', ...init });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
    throw new ApiError(response.status, body?.error?.code ?? 'INTERNAL_ERROR');
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

function json(method: string, body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export const api = {
  me: () => request<MeView>('/api/me'),
  snaps: () => request<{ items: MySnapView[] }>('/api/me/snaps'),
  sendSnap: (form: FormData) => request<{ id: string; status: 'pending' }>('/api/me/snaps', { method: 'POST', body: form }),
  signOut: () => request<void>('/api/me/logout', { method: 'POST' }),
  activities: () => request<MeActivitiesView>('/api/me/activities'),
  signUp: (activityId: string) => request<MeActivity>('/api/me/signups', json('POST', { activityId })),
  cancelSignup: (activityId: string) => request<MeActivity>(`/api/me/signups/${encodeURIComponent(activityId)}`, { method: 'DELETE' }),
  tasks: () => request<{ items: KioskTask[] }>('/api/me/tasks'),
  acceptTask: (requestId: string, opId: string) => request<TaskAcceptSuccess>(`/api/me/tasks/${encodeURIComponent(requestId)}/accept`, json('POST', { opId })),
  declineTask: (requestId: string, opId: string, reason: string) => request<TaskDeclineSuccess>(`/api/me/tasks/${encodeURIComponent(requestId)}/decline`, json('POST', { opId, reason })),
};

/** A network failure (no Wi-Fi, server down) rather than an answer: worth keeping and retrying. */
export function isNetworkFailure(error: unknown): boolean {
  return !(error instanceof ApiError) || error.status >= 500;
}

/** crypto.randomUUID needs a secure context, and /me/ runs over plain HTTP on the LAN. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
