import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { AppContext } from '../context.ts';
import { resolveCard } from '../attendance/resolve-card.ts';
import { AppError } from '../protocol/errors.ts';
import type { Device, Receipt } from '../protocol/model.ts';
import {
  helpRequestSchema, requestRatingSchema, taskAcceptSchema, taskDeclineSchema, taskListSchema,
  type HelpRequestSuccess, type RequestRateSuccess, type ServiceRequest, type TaskAcceptSuccess, type TaskDeclineSuccess, type TaskListSuccess,
} from '../protocol/service.ts';
import type { Change } from '../store/state.ts';
import { displayNameOf } from '../volunteers/figures.ts';
import { acceptTask, createRequest, declineTask, findRequestByNumber, listTasksFor, rateRequest } from './requests.ts';

/**
 * The kiosk side of service requests. Every event that changes something is idempotent by its
 * `opId` like a scan by its `scanId`: the answer is stored as a receipt in the same transaction,
 * so the offline queue can send it again and get the same ack with nothing changed twice.
 * Acks carry masked names only: never a resident's phone, address or tags.
 */
export interface TaskEvents {
  'task:list': { schema: typeof taskListSchema; idField: null };
  'task:accept': { schema: typeof taskAcceptSchema; idField: 'opId' };
  'task:decline': { schema: typeof taskDeclineSchema; idField: 'opId' };
  'help:request': { schema: typeof helpRequestSchema; idField: 'opId' };
  'request:rate': { schema: typeof requestRatingSchema; idField: 'opId' };
}

type Handler<S extends z.ZodType> = { schema: S; idField: string | null; run: (input: z.output<S>, device: Device) => Promise<object> };

function fingerprint(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** What `once` runs the first time: the change, given the receipt to commit with it, and the answer to a result. */
export interface OnceStep<R> {
  answer(result: R): object;
  run(receipts: (result: R) => Change[]): Promise<R>;
}

/**
 * Runs a change keyed by `opId` once. The first time, its answer is stored as a receipt in the
 * change's own commit; the same opId with the same request (`parts`) gets the stored answer and
 * changes nothing; the same opId with another request is refused. `prepare` runs only the first
 * time, so a replay is answered even if, say, the card was reissued since.
 */
export async function once<R>(ctx: AppContext, opId: string, parts: unknown[], prepare: () => OnceStep<R>): Promise<object> {
  const print = fingerprint(parts);
  const stored = ctx.store.state.get('receipts', `task:${opId}`);
  if (stored) {
    if (stored.fingerprint !== print) throw new AppError('OP_ID_REUSED', 'This operation id was already used for something else', 409);
    return { ...(stored.response as object), replayed: true };
  }
  const { answer, run } = prepare();
  const receipts = (result: R): Change[] => {
    const receipt: Receipt = { id: `task:${opId}`, kind: 'task', at: ctx.clock.now().toISOString(), fingerprint: print, response: answer(result) };
    return [{ c: 'receipts', v: receipt }];
  };
  return answer(await run(receipts));
}

function checkinOnly(device: Device): void {
  if (device.mode !== 'checkin') throw new AppError('DEVICE_MODE_FORBIDDEN', 'Tasks are taken at a sign-in kiosk', 403);
}

export function taskHandlers(ctx: AppContext) {
  const state = () => ctx.store.state;
  const volunteerOf = (code: string, phoneLast4?: string) => resolveCard(state(), ctx.cardSecret, code, phoneLast4);
  const publicName = (volunteer: { name: string }) => displayNameOf(state(), volunteer);

  const handlers = {
    'task:list': {
      schema: taskListSchema,
      idField: null,
      async run(input, device) {
        checkinOnly(device);
        const volunteer = volunteerOf(input.code, input.phoneLast4);
        return { ok: true, volunteer: { id: volunteer.id, displayName: publicName(volunteer) }, items: listTasksFor(state(), volunteer.id) } satisfies TaskListSuccess;
      },
    } satisfies Handler<typeof taskListSchema>,

    'task:accept': {
      schema: taskAcceptSchema,
      idField: 'opId',
      async run(input, device) {
        checkinOnly(device);
        return once<ServiceRequest>(ctx, input.opId, ['accept', input.code, input.phoneLast4 ?? null, input.requestId], () => {
          const volunteer = volunteerOf(input.code, input.phoneLast4);
          return {
            answer: (request): TaskAcceptSuccess => ({
              ok: true, opId: input.opId, requestId: request.id, number: request.number, status: request.status,
              volunteer: { id: volunteer.id, displayName: publicName(volunteer) },
            }),
            run: (receipts) => acceptTask(ctx, volunteer.id, input.requestId, `device:${device.id}`, receipts),
          };
        });
      },
    } satisfies Handler<typeof taskAcceptSchema>,

    'task:decline': {
      schema: taskDeclineSchema,
      idField: 'opId',
      async run(input, device) {
        checkinOnly(device);
        return once<ServiceRequest>(ctx, input.opId, ['decline', input.code, input.phoneLast4 ?? null, input.requestId, input.reason], () => {
          const volunteer = volunteerOf(input.code, input.phoneLast4);
          return {
            answer: (request): TaskDeclineSuccess => ({ ok: true, opId: input.opId, requestId: request.id, status: request.status }),
            run: (receipts) => declineTask(ctx, volunteer.id, input.requestId, input.reason, `device:${device.id}`, receipts),
          };
        });
      },
    } satisfies Handler<typeof taskDeclineSchema>,

    // A resident asks for help at the kiosk: no card, a few words and a phone number for staff to call back.
    'help:request': {
      schema: helpRequestSchema,
      idField: 'opId',
      async run(input, device) {
        checkinOnly(device);
        return once<ServiceRequest>(ctx, input.opId, ['help', input.category, input.details ?? null, input.phone, input.place ?? null, input.requesterName ?? null], () => ({
          answer: (request): HelpRequestSuccess => ({ ok: true, opId: input.opId, requestId: request.id, number: request.number, status: request.status }),
          run: (receipts) => createRequest(
            ctx,
            { category: input.category, details: input.details ?? input.category, phone: input.phone, place: input.place, requesterName: input.requesterName, skills: [], grid: undefined },
            `device:${device.id}`,
            'kiosk',
            receipts,
          ),
        }));
      },
    } satisfies Handler<typeof helpRequestSchema>,

    // The resident rates at a kiosk with the request number and their phone's last 4 digits.
    'request:rate': {
      schema: requestRatingSchema,
      idField: 'opId',
      async run(input, device) {
        checkinOnly(device);
        return once<ServiceRequest>(ctx, input.opId, ['rate', input.number, input.phoneLast4, input.score, input.comment ?? null], () => {
          const request = findRequestByNumber(state(), input.number);
          const phone = request?.phone ?? (request?.residentId ? state().get('residents', request.residentId)?.phone : undefined);
          // The same answer whether the number is unknown or the digits are wrong: numbers are sequential and easy to guess.
          if (!request || !phone || !phone.endsWith(input.phoneLast4)) throw new AppError('PHONE_DIGITS_WRONG', 'The request number and phone digits do not match', 400);
          return {
            answer: (rated): RequestRateSuccess => ({ ok: true, opId: input.opId, number: rated.number, status: rated.status }),
            run: (receipts) => rateRequest(ctx, request.id, input.score, input.comment, `device:${device.id}`, receipts),
          };
        });
      },
    } satisfies Handler<typeof requestRatingSchema>,
  };
  return handlers;
}
