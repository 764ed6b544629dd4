import type { BoardState } from '@protocol/board.ts';
import type { PublicNotice } from '@protocol/notices.ts';
import type { WishWall } from '@protocol/service.ts';

/**
 * How this screen may read the board: a board device's token kept in localStorage after
 * pairing, or else the staff session cookie the browser already has.
 */
const KEY = 'vs-board-pairing';

export interface BoardPairing {
  deviceId: string;
  token: string;
}

export function loadPairing(storage: Storage = localStorage): BoardPairing | null {
  try {
    const saved = JSON.parse(storage.getItem(KEY) ?? 'null') as BoardPairing | null;
    return saved && typeof saved.token === 'string' && typeof saved.deviceId === 'string' ? saved : null;
  } catch {
    return null;
  }
}

export function forgetPairing(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
}

/** Why a request failed: the server's error code, or NETWORK when it could not be reached. */
export class RequestFailed extends Error {
  constructor(readonly code: string, readonly status: number) {
    super(code);
  }
}

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers, cache: 'no-store', credentials: 'same-origin' });
  } catch {
    throw new RequestFailed('NETWORK', 0);
  }
  const body = (await response.json().catch(() => null)) as (T & { error?: { code?: string } }) | null;
  if (!response.ok || !body) throw new RequestFailed(body?.error?.code ?? 'INTERNAL_ERROR', response.status);
  return body;
}

export function fetchBoard(pairing: BoardPairing | null): Promise<BoardState> {
  return getJson<BoardState>('/api/board', pairing ? { authorization: `Bearer ${pairing.token}` } : {});
}

export function fetchPublicNotice(id: string): Promise<PublicNotice> {
  return getJson<PublicNotice>(`/api/notices/${encodeURIComponent(id)}/public`);
}

/** Trades a one-time pairing code for this screen's device token. */
export async function pairWithCode(pairingCode: string, storage: Storage = localStorage): Promise<BoardPairing> {
  let response: Response;
  try {
    response = await fetch('/api/devices/pair', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pairingCode }) });
  } catch {
    throw new RequestFailed('NETWORK', 0);
  }
  const body = (await response.json().catch(() => null)) as { deviceId?: string; token?: string; mode?: string; error?: { code?: string } } | null;
  if (!response.ok || typeof body?.token !== 'string' || typeof body.deviceId !== 'string') throw new RequestFailed(body?.error?.code ?? 'INTERNAL_ERROR', response.status);
  // A code made for a kiosk would pair this screen as a kiosk; the board refuses it rather than keep a useless token.
  if (body.mode !== 'board') throw new RequestFailed('DEVICE_MODE_FORBIDDEN', 403);
  const pairing = { deviceId: body.deviceId, token: body.token };
  storage.setItem(KEY, JSON.stringify(pairing));
  return pairing;
}

/** The `?pair=CODE` in the address, removed at once so the one-time code is not left on screen or in history. */
export function takePairingCodeFromAddress(): string | null {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('pair');
  if (code === null) return null;
  url.searchParams.delete('pair');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  return code.trim() || null;
}

/** The wish wall (issue 13): masked names and categories only. */
export function fetchWishes(pairing: BoardPairing | null): Promise<WishWall> {
  return getJson<WishWall>('/api/board/wishes', pairing ? { authorization: `Bearer ${pairing.token}` } : {});
}
