import type { DeviceMode } from '@protocol/model.ts';

export interface Pairing {
  deviceId: string;
  token: string;
  name: string;
  mode: DeviceMode;
}

const KEY = 'vs-kiosk-pairing';

export function loadPairing(storage: Storage = localStorage): Pairing | null {
  try {
    const saved = JSON.parse(storage.getItem(KEY) ?? 'null') as Pairing | null;
    return saved && typeof saved.token === 'string' && typeof saved.deviceId === 'string' ? saved : null;
  } catch {
    return null;
  }
}

export function forgetPairing(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
}

export type PairResult = { ok: true; pairing: Pairing } | { ok: false; code: string };

/** Trades a one-time pairing code for this tablet's device token. */
export async function pairWithCode(pairingCode: string, storage: Storage = localStorage): Promise<PairResult> {
  let response: Response;
  try {
    response = await fetch('/api/devices/pair', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode }),
    });
  } catch {
    return { ok: false, code: 'NETWORK' };
  }
  const body = (await response.json().catch(() => null)) as (Pairing & { error?: { code?: string } }) | null;
  if (!response.ok || !body || typeof body.token !== 'string') return { ok: false, code: body?.error?.code ?? 'INTERNAL_ERROR' };
  const pairing: Pairing = { deviceId: body.deviceId, token: body.token, name: body.name, mode: body.mode };
  storage.setItem(KEY, JSON.stringify(pairing));
  return { ok: true, pairing };
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
