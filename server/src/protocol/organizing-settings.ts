import { z } from 'zod';
import { centerPhoneSchema, publicVerifyUrlSchema } from './certificate-check.ts';

/**
 * Settings of recruiting, training, the kiosk gate, minors, the national export, certificates
 * and personal-information notices (issue 15). Each group has defaults, so a snapshot written
 * before the group existed still reads.
 */

/** What a column of the national export can hold. */
export const nationalExportFields = [
  'volunteerName', 'idType', 'idNumber', 'nationalVolunteerNo', 'phone', 'serviceName', 'content', 'place',
  'startedAt', 'endedAt', 'hours', 'organizer', 'kind',
] as const;
export type NationalExportField = (typeof nationalExportFields)[number];

export const organizingSettingsShape = {
  signups: z.object({
    /** Sign-ups pause for a volunteer with this many unexcused no-shows within `noShowWindowDays`; null = never. */
    pauseAfterNoShows: z.number().int().min(1).max(100).nullable(),
    noShowWindowDays: z.number().int().min(1).max(3660),
  }),
  trainings: z.object({
    /** Months a training of the category stays valid (e.g. 急救 24); a category not listed never expires. */
    validityMonths: z.record(z.string().trim().min(1).max(40), z.number().int().min(1).max(600)),
  }),
  gates: z.object({
    /** Whom the kiosk tells a refused volunteer to ask (服务台 王老师 13…); empty = "the staff". */
    contact: z.string().trim().max(100),
  }),
  minors: z.object({
    /** Below this age (full years) sign-in is refused unless staff record that a guardian is present; null = off. */
    guardianPresentBelowAge: z.number().int().min(1).max(18).nullable(),
  }),
  nationalExport: z.object({
    /** The import template's columns in order. Unconfirmed against the official template: staff adjust it here. */
    columns: z.array(z.object({ header: z.string().trim().min(1).max(60), field: z.enum(nationalExportFields) })).min(1).max(30),
  }),
  certificate: z.object({
    /** The issuer's 负责人, 经办人 and contact, printed on 志愿服务记录证明 (2020 measures art. 12). */
    issuerHead: z.string().trim().max(40),
    issuerHandler: z.string().trim().max(40),
    issuerContact: z.string().trim().max(100),
    /** Issue 12: the center's public address for the check page ('' = the station's mDNS name on the center's network). */
    publicVerifyUrl: publicVerifyUrlSchema,
    /** Issue 12: the center's phone, printed on certificates for checking by call ('' = none). */
    centerPhone: centerPhoneSchema,
  }),
  privacy: z.object({
    /** The personal-information notice a volunteer consents to at registration, and its version. */
    noticeVersion: z.string().trim().min(1).max(40),
    noticeText: z.string().trim().max(5000),
  }),
};

export type OrganizingSettings = { [K in keyof typeof organizingSettingsShape]: z.infer<(typeof organizingSettingsShape)[K]> };

export const defaultOrganizingSettings: OrganizingSettings = {
  signups: { pauseAfterNoShows: null, noShowWindowDays: 365 },
  trainings: { validityMonths: { 急救: 24 } },
  gates: { contact: '' },
  minors: { guardianPresentBelowAge: null },
  nationalExport: {
    columns: [
      { header: '姓名', field: 'volunteerName' },
      { header: '证件类型', field: 'idType' },
      { header: '证件号码', field: 'idNumber' },
      { header: '服务项目名称', field: 'serviceName' },
      { header: '服务内容', field: 'content' },
      { header: '服务地点', field: 'place' },
      { header: '服务开始时间', field: 'startedAt' },
      { header: '服务结束时间', field: 'endedAt' },
      { header: '服务时长（小时）', field: 'hours' },
      { header: '组织单位', field: 'organizer' },
    ],
  },
  certificate: { issuerHead: '', issuerHandler: '', issuerContact: '', publicVerifyUrl: '', centerPhone: '' },
  privacy: {
    noticeVersion: '2026-1',
    noticeText: '本站为组织志愿服务、记录服务时长和出具证明，处理您的姓名、联系方式和服务记录；身份证号仅在您单独同意后用于向全国志愿服务信息系统报送。您可随时查询、更正，或在退出时要求匿名化。',
  },
};

export const organizingSettingsPatchShape = {
  signups: organizingSettingsShape.signups.partial().optional(),
  trainings: organizingSettingsShape.trainings.partial().optional(),
  gates: organizingSettingsShape.gates.partial().optional(),
  minors: organizingSettingsShape.minors.partial().optional(),
  nationalExport: organizingSettingsShape.nationalExport.partial().optional(),
  certificate: organizingSettingsShape.certificate.partial().optional(),
  privacy: organizingSettingsShape.privacy.partial().optional(),
};

type Patch = { [K in keyof OrganizingSettings]?: Partial<OrganizingSettings[K]> };

/** Each group merged field by field; a group missing from `current` (an older snapshot) starts from its defaults. */
export function mergeOrganizingSettings(current: Partial<OrganizingSettings>, patch: Patch): OrganizingSettings {
  const merged = {} as Record<string, unknown>;
  for (const key of Object.keys(defaultOrganizingSettings) as (keyof OrganizingSettings)[]) {
    merged[key] = { ...defaultOrganizingSettings[key], ...current[key], ...patch[key] };
  }
  return merged as OrganizingSettings;
}
