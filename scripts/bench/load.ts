import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { epochNow, sleep } from './processes.ts';

/** One scan as the load generator saw it. Times are epoch ms (epochNow), comparable across processes. */
export interface ScanOutcome {
  sentAt: number;
  ackAt?: number;
  ok?: boolean;
  action?: string;
  attendanceId?: string;
  errorCode?: string;
}

export async function connectSocket(url: string, namespace: '/kiosk' | '/board', token: string, timeoutMs = 15_000): Promise<Socket> {
  // Websocket only and no reconnection: a tablet on the LAN, and a dropped socket must show up as missing acks.
  const socket = io(`${url}${namespace}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: timeoutMs });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${namespace} connect timed out`)), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return socket;
}

/**
 * A simulated sign-in tablet: its own device token, a share of the roster's cards in a shuffled
 * cycle, and the activity it is set to. With the repeat window off, each scan of a card is the
 * sign-in or the sign-out that follows the card's previous one.
 */
export class Kiosk {
  #next = 0;
  constructor(readonly socket: Socket, readonly cards: string[], readonly activityId?: string) {}

  scan(onAck?: (outcome: ScanOutcome) => void): ScanOutcome {
    const code = this.cards[this.#next++ % this.cards.length]!;
    const outcome: ScanOutcome = { sentAt: epochNow() };
    const payload = { scanId: randomUUID(), code, scannedAt: new Date().toISOString(), ...(this.activityId ? { activityId: this.activityId } : {}) };
    this.socket.emit('scan', payload, (ack: { ok: boolean; action?: string; attendanceId?: string; error?: { code: string } }) => {
      outcome.ackAt = epochNow();
      outcome.ok = ack?.ok === true;
      outcome.action = ack?.action;
      outcome.attendanceId = ack?.attendanceId;
      outcome.errorCode = ack?.error?.code;
      onAck?.(outcome);
    });
    return outcome;
  }
}

/**
 * Open-loop load: scans leave at a fixed total rate whatever the server does (a queue of people
 * does not wait for the server), spread round-robin over the kiosks. Then waits up to `graceMs`
 * for the last acks; a scan still unanswered then is counted as unanswered. `stopEarly` ends the
 * sending before `durationMs` (checked between sends).
 */
export async function pacedScans(kiosks: Kiosk[], perSecond: number, durationMs: number, graceMs = 10_000, stopEarly?: () => boolean): Promise<ScanOutcome[]> {
  const total = Math.round((perSecond * durationMs) / 1000);
  const outcomes: ScanOutcome[] = [];
  const start = performance.now();
  let answered = 0;
  while (outcomes.length < total && !stopEarly?.()) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * perSecond) / 1000) + 1);
    while (outcomes.length < due) outcomes.push(kiosks[outcomes.length % kiosks.length]!.scan(() => answered++));
    await sleep(Math.max(1, Math.floor(1000 / perSecond / 2)));
  }
  const deadline = performance.now() + graceMs;
  while (answered < outcomes.length && performance.now() < deadline) await sleep(20);
  return outcomes;
}

/**
 * Closed-loop load: each kiosk keeps `outstanding` scans in flight, sending the next as soon as
 * one is acknowledged, for `durationMs`. Counts acks that arrived inside the window.
 */
export async function flatOutScans(kiosks: Kiosk[], outstanding: number, durationMs: number, graceMs = 10_000): Promise<{ outcomes: ScanOutcome[]; ackedInWindow: number; windowMs: number }> {
  const outcomes: ScanOutcome[] = [];
  const start = epochNow();
  const end = start + durationMs;
  let inFlight = 0;
  const fire = (kiosk: Kiosk) => {
    if (epochNow() >= end) return;
    inFlight++;
    outcomes.push(kiosk.scan(() => {
      inFlight--;
      fire(kiosk);
    }));
  };
  for (const kiosk of kiosks) for (let i = 0; i < outstanding; i++) fire(kiosk);
  while (epochNow() < end) await sleep(50);
  const deadline = performance.now() + graceMs;
  while (inFlight > 0 && performance.now() < deadline) await sleep(20);
  const ackedInWindow = outcomes.filter((o) => o.ok && o.ackAt !== undefined && o.ackAt <= end).length;
  return { outcomes, ackedInWindow, windowMs: durationMs };
}

/**
 * Closed-loop burst of exactly `total` scans: each kiosk keeps `outstanding` in flight until the
 * total is sent, then waits up to `graceMs` for the last acks. For memory per scan, where the
 * count matters and the rate does not. Bounded in time by `maxMs`.
 */
export async function scanBurst(kiosks: Kiosk[], total: number, outstanding: number, maxMs = 300_000, graceMs = 30_000): Promise<ScanOutcome[]> {
  const outcomes: ScanOutcome[] = [];
  const end = performance.now() + maxMs;
  let inFlight = 0;
  const fire = (kiosk: Kiosk) => {
    if (outcomes.length >= total || performance.now() >= end) return;
    inFlight++;
    outcomes.push(kiosk.scan(() => {
      inFlight--;
      fire(kiosk);
    }));
  };
  for (const kiosk of kiosks) for (let i = 0; i < outstanding; i++) fire(kiosk);
  while (outcomes.length < total && performance.now() < end) await sleep(50);
  const deadline = performance.now() + graceMs;
  while (inFlight > 0 && performance.now() < deadline) await sleep(20);
  return outcomes;
}

export interface RedeemOutcome {
  sentAt: number;
  ackAt?: number;
  ok?: boolean;
  errorCode?: string;
}

/**
 * Counters competing for the same goods: each counter redeems one unit for the next card in its
 * queue as soon as the previous receipt is back, as a staffed counter works, for `durationMs`.
 */
export async function counterRush(counters: { socket: Socket; cards: string[] }[], goodsId: string, durationMs: number): Promise<RedeemOutcome[]> {
  const outcomes: RedeemOutcome[] = [];
  const end = epochNow() + durationMs;
  await Promise.all(counters.map(async ({ socket, cards }) => {
    for (let i = 0; epochNow() < end && i < 1_000_000; i++) {
      const outcome: RedeemOutcome = { sentAt: epochNow() };
      outcomes.push(outcome);
      try {
        const ack = (await socket.timeout(30_000).emitWithAck('redeem', { redemptionId: randomUUID(), code: cards[i % cards.length]!, items: [{ goodsId, quantity: 1 }] })) as { ok: boolean; error?: { code: string } };
        outcome.ackAt = epochNow();
        outcome.ok = ack.ok;
        outcome.errorCode = ack.error?.code;
      } catch {
        return; // No ack in 30 s: counted as unanswered.
      }
    }
  }));
  return outcomes;
}

export function scanLatencies(outcomes: ScanOutcome[]): { latencies: number[]; unanswered: number; errors: Map<string, number> } {
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  let unanswered = 0;
  for (const o of outcomes) {
    if (o.ackAt === undefined) unanswered++;
    else latencies.push(o.ackAt - o.sentAt);
    if (o.errorCode) errors.set(o.errorCode, (errors.get(o.errorCode) ?? 0) + 1);
  }
  return { latencies, unanswered, errors };
}
