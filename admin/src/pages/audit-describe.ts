import type { AuditDetails, AuditEntry } from '@protocol/model.ts';
import type { Messages } from '../i18n/index.tsx';

/** The audit response: entries as the server keeps them, and what their ids stand for now. */
export interface AuditList {
  items: AuditEntry[];
  names: Record<string, string>;
  /** Older entries match too: the next page starts after the last item. */
  more: boolean;
}

interface Formatters {
  dateTime(iso: string | undefined): string;
  date(iso: string | undefined): string;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T/;

/** A setting's dotted path (hours.graceMinutes) as the settings page labels it. */
function settingLabel(m: Messages, key: string): string {
  const s = m.settings;
  const labels: Record<string, string> = {
    centerName: s.centerName,
    timeZone: s.timeZone,
    defaultLanguage: s.defaultLanguage,
    publicNames: s.publicNames,
    repeatWindowSeconds: s.repeatWindow,
    checkInOpensMinutesBefore: s.opensBefore,
    'hours.graceMinutes': s.grace,
    'hours.roundingMinutes': s.roundingStep,
    'hours.roundingMode': s.roundingMode,
    'hours.maxHoursPerAttendance': s.maxHours,
    'autoClose.enabled': s.autoClose,
    'autoClose.credit': s.autoCloseCredit,
    'points.defaultRule': s.pointsRule,
    'stars.thresholds': s.thresholds,
    'stars.period': s.starPeriod,
    'stars.minPoints': s.minPoints,
    'stars.minEvaluation': s.minEvaluation,
    receiptRetentionDays: s.retention,
    'board.showRedemptions': s.boardRedemptions,
    'certificate.publicVerifyUrl': s.publicVerifyUrl,
    'certificate.centerPhone': s.centerPhone,
  };
  const groups = m.audit.settingGroups as Record<string, string>;
  return labels[key] ?? groups[key] ?? groups[key.split('.')[0]!] ?? key;
}

/** One detail in words: names for ids, labels for codes, local times for ISO times. */
function detailText(m: Messages, format: Formatters, names: Record<string, string>, key: string, value: AuditDetails[string]): string {
  const list = m.audit.separators.list;
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? m.audit.yes : m.audit.no;
  if (typeof value === 'number') return key === 'delta' && value > 0 ? `+${value}` : String(value);
  if (Array.isArray(value)) {
    if (key === 'keys') return value.map((k) => settingLabel(m, k)).join(list);
    if (key === 'changes') {
      const changes = m.audit.staffChanges as Record<string, string | ((role: string) => string)>;
      return value
        .map((code) => {
          const [name, argument] = code.split(':') as [string, string | undefined];
          const text = changes[name];
          if (typeof text === 'function') return text((m.roles as Record<string, string>)[argument ?? ''] ?? argument ?? '');
          return text ?? code;
        })
        .join(list);
    }
    return value.map((item) => names[item] ?? item).join(list);
  }
  if (names[value]) return names[value]!;
  if (ISO_TIME.test(value)) return format.dateTime(value);
  if (key === 'mode') return (m.deviceModes as Record<string, string>)[value] ?? value;
  if (key === 'role') return (m.roles as Record<string, string>)[value] ?? value;
  return value;
}

/** Who did it: a staff member's display name, a tablet's name, 系统 — never a raw id. */
export function actorText(m: Messages, entry: AuditEntry, names: Record<string, string>): string {
  if (entry.actor === 'system') return m.audit.system;
  if (names[entry.actor]) return names[entry.actor]!;
  if (entry.actor.startsWith('device:')) return m.audit.unknownDevice;
  return entry.actor.replace(/^(staff|volunteer):/, '');
}

/**
 * What happened, in the reader's language: a sentence for the common actions, otherwise the
 * record's name and its details with their labels. Entries written before details existed fall
 * back to the summary the server wrote then.
 */
export function describeAudit(m: Messages, format: Formatters, entry: AuditEntry, names: Record<string, string>): string {
  const target = entry.target ? (names[entry.target] ?? (/^(device|card):/.test(entry.target) ? '' : entry.target.length >= 20 ? m.audit.unknownRecord : entry.target)) : '';
  if (!entry.details) return [target, entry.summary].filter(Boolean).join(m.audit.separators.fact);
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(entry.details)) values[key] = detailText(m, format, names, key, value);
  const sentences = m.audit.sentences as Record<string, (t: string, v: Record<string, string>) => string>;
  const sentence = sentences[entry.action];
  if (sentence) return sentence(target, values);
  const labels = m.audit.details as Record<string, string>;
  const separator = m.audit.separators.fact;
  const facts = Object.entries(values).map(([key, text]) => `${labels[key] ?? key}${separator}${text}`);
  return [target, ...facts].filter(Boolean).join(m.audit.separators.facts);
}
