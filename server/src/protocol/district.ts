import { z } from 'zod';
import { settingsSchema } from './settings.ts';

/**
 * The station → district hub link (docs/district.md). The station sends its journal records in
 * order; only the collections below leave the station, and of a volunteer only what the
 * district keeps (see `toDistrictRecord` in server/src/hub-link).
 */
export const districtCollections = [
  'volunteers', 'teams', 'activities', 'attendance', 'serviceRecords', 'ledger', 'redemptions', 'starRecords',
] as const;
export type DistrictCollection = (typeof districtCollections)[number];

const recordId = z.string().min(1).max(200);
const seq = z.number().int().min(0);

export const linkChangeSchema = z.union([
  z.object({ c: z.enum(districtCollections), id: recordId, remove: z.literal(true) }),
  z.object({ c: z.enum(districtCollections), v: z.looseObject({ id: recordId }) }),
]);
export type LinkChange = z.infer<typeof linkChangeSchema>;

export const linkRecordSchema = z.object({ seq: seq.min(1), at: z.string().max(40), changes: z.array(linkChangeSchema).max(10_000) });
export type LinkRecord = z.infer<typeof linkRecordSchema>;

/**
 * The station's store epoch: a random id made when its data folder has none (first start, and
 * after every restore of a backup). Sequence numbers compare only within one epoch; a station
 * that does not send one (older versions) is taken as continuing the hub's epoch.
 */
const epoch = z.string().regex(/^[\w-]{8,64}$/).optional();

/**
 * The center's own field rules the district reports apply to its records (its stars are
 * counted by its thresholds and period, its years in its time zone). Sent with every hello.
 */
export const centerRulesSchema = z.object({ timeZone: settingsSchema.shape.timeZone, stars: settingsSchema.shape.stars });
export type CenterRules = z.infer<typeof centerRulesSchema>;

export const linkHelloSchema = z.object({ stationSeq: seq, centerName: z.string().max(100).optional(), rules: centerRulesSchema.optional(), epoch });

/**
 * Journal records fromSeq..toSeq (inclusive). Records without any district change are left out,
 * so `records` may skip numbers; the hub applies those after its last applied seq and then
 * stands at toSeq. fromSeq must not be past the hub's position + 1.
 */
export const linkBatchSchema = z
  .object({ fromSeq: seq.min(1), toSeq: seq.min(1), stationSeq: seq, records: z.array(linkRecordSchema).max(5_000), epoch })
  .refine((batch) => batch.fromSeq <= batch.toSeq && batch.records.every((record) => record.seq >= batch.fromSeq && record.seq <= batch.toSeq), 'records must lie within fromSeq..toSeq');
export type LinkBatch = z.infer<typeof linkBatchSchema>;

/**
 * The whole district part of a station's state at baseSeq, in parts: sent when the hub needs
 * records the station's journal no longer holds (a center joining with years of data). Part 0
 * replaces everything the hub had of the center; the final part moves the hub to baseSeq.
 */
export const linkBaseSchema = z.object({
  baseSeq: seq,
  part: z.number().int().min(0),
  final: z.boolean(),
  stationSeq: seq,
  changes: z.array(linkChangeSchema).max(10_000),
  /** A base of another epoch than the hub's (part 0 only) replaces the center's data and starts that epoch. */
  epoch,
});
export type LinkBase = z.infer<typeof linkBaseSchema>;

/** Every link answer: where the hub stands for this center. */
export interface LinkPosition {
  centerId: string;
  lastSeq: number;
  /** The epoch lastSeq counts in (null: the hub has none yet); absent from hubs before epochs. */
  epoch?: string | null;
}

/** GET /api/hub-link on the station (admin): the link's state and lag. */
export interface HubLinkStatus {
  configured: boolean;
  /** Where the settings come from: the environment wins over the admin's. */
  source: 'env' | 'settings' | null;
  url: string | null;
  state: 'off' | 'connecting' | 'sending' | 'idle' | 'error';
  stationSeq: number;
  hubSeq: number | null;
  /** Journal records the hub has not confirmed yet. */
  lag: number | null;
  lastContactAt: string | null;
  lastError: string | null;
}

/** Fields of a volunteer the district does not keep: they stay at the center's station. */
const localOnlyVolunteerFields = ['address', 'notes', 'guardianConsent'];

/** A record as the district keeps it (applied by the station before sending, and again by the hub). */
export function toDistrictRecord(collection: DistrictCollection, record: { id: string }): { id: string } {
  if (collection !== 'volunteers') return record;
  const copy: Record<string, unknown> = { ...record };
  for (const field of localOnlyVolunteerFields) delete copy[field];
  return copy as { id: string };
}
