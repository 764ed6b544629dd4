import type { ComponentChildren } from 'preact';
import type { Gender } from '@protocol/model.ts';
import { volunteerCreateSchema, volunteerUpdateSchema } from '@protocol/schemas.ts';
import { api } from '../api/client.ts';
import type { TeamView, VolunteerView } from '../api/types.ts';
import { Dialog } from '../components/dialog.tsx';
import { blank, Field, FormFailure, numberOrUndefined, useForm } from '../components/form.tsx';
import { useMessages } from '../i18n/index.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { dayIn } from '../time.ts';
import { ageOn, birthDateOf, needsGuardianOn } from '@protocol/minor-age.ts';

/**
 * PIPL art. 31: a child under 14 needs a guardian's consent before personal information is
 * processed; the server refuses the card without it (GUARDIAN_CONSENT_REQUIRED). The rule is
 * the server's own (protocol/minor-age.ts): by the birthday when the full birth date or the ID
 * number is known, else by the birth year.
 */

interface Values {
  name: string;
  gender: Gender;
  phone: string;
  idNumber: string;
  birthYear: string;
  address: string;
  skills: string;
  teamIds: string[];
  joinedOn: string;
  notes: string;
  guardianName: string;
  guardianRelation: string;
  guardianPhone: string;
  guardianDate: string;
  birthDate: string;
  idType: string;
  nationalVolunteerNo: string;
  /** PIPL consents given at registration (to the notice in settings), recorded with its version. */
  consentProcessing: boolean;
  consentIdNumber: boolean;
  /** Phone and ID number are never shown in the form (they arrive masked), so clearing one is its own choice. */
  clearPhone: boolean;
  clearIdNumber: boolean;
}

function initialValues(volunteer: VolunteerView | undefined): Values {
  return {
    name: volunteer?.name ?? '',
    gender: volunteer?.gender ?? 'unspecified',
    // Phone and ID number arrive masked: the edit form leaves them empty and keeps them unless retyped.
    phone: '',
    idNumber: '',
    birthYear: volunteer?.birthYear ? String(volunteer.birthYear) : '',
    address: volunteer?.address ?? '',
    skills: volunteer?.skills.join('、') ?? '',
    teamIds: volunteer?.teamIds ?? [],
    joinedOn: volunteer?.joinedOn ?? '',
    notes: volunteer?.notes ?? '',
    guardianName: volunteer?.guardianConsent?.guardianName ?? '',
    guardianRelation: volunteer?.guardianConsent?.relation ?? '',
    guardianPhone: volunteer?.guardianConsent?.phone ?? '',
    guardianDate: volunteer?.guardianConsent?.date ?? '',
    birthDate: volunteer?.birthDate ?? '',
    idType: volunteer?.idType ?? '',
    nationalVolunteerNo: volunteer?.nationalVolunteerNo ?? '',
    consentProcessing: false,
    consentIdNumber: false,
    clearPhone: false,
    clearIdNumber: false,
  };
}

/**
 * An emptied field of an edit: null clears what the volunteer had (the API keeps a field that
 * is left out), and nothing is sent for a field that was empty already, so the audit log lists
 * only what changed.
 */
function cleared<T>(value: T | undefined, had: unknown): T | null | undefined {
  return value !== undefined ? value : had !== undefined && had !== null ? null : undefined;
}

/** Registers a volunteer, or edits one when `volunteer` is given. */
export function VolunteerFormDialog({
  volunteer,
  teams,
  onClose,
  onSaved,
}: {
  volunteer?: VolunteerView;
  teams: TeamView[];
  onClose: () => void;
  onSaved: (volunteer: VolunteerView) => void;
}) {
  const m = useMessages();
  const { settings } = useSession();
  const form = useForm<Values>(initialValues(volunteer));
  const d = m.organizing.details;
  const { values } = form;
  const today = dayIn(new Date(), settings.timeZone);
  const thisYear = Number(today.slice(0, 4));
  const birthYear = numberOrUndefined(values.birthYear);
  const person = { birthYear, birthDate: blank(values.birthDate), idNumber: blank(values.idNumber)?.toUpperCase() ?? undefined };
  // An edit without a retyped ID number still has the recorded birth date to go by.
  if (!person.birthDate && !person.idNumber && volunteer?.birthDate) person.birthDate = volunteer.birthDate;
  const underAge = needsGuardianOn(person, today);
  const knownBirth = birthDateOf(person);
  const showGuardian = underAge || !!volunteer?.guardianConsent;
  // Registering someone twice is refused; the answer names who it is, so staff can go there instead.
  const existingId = form.failure?.code === 'DUPLICATE_VOLUNTEER' ? form.failure.details?.volunteerId : undefined;

  const submit = (event: Event) => {
    event.preventDefault();
    const had = volunteer?.guardianConsent;
    const guardianChanged =
      values.guardianName.trim() !== (had?.guardianName ?? '') ||
      values.guardianRelation.trim() !== (had?.relation ?? '') ||
      values.guardianPhone.trim() !== (had?.phone ?? '') ||
      values.guardianDate !== (had?.date ?? '');
    const guardianConsent =
      showGuardian && blank(values.guardianName) && guardianChanged
        ? { guardianName: values.guardianName.trim(), relation: blank(values.guardianRelation), phone: blank(values.guardianPhone), date: blank(values.guardianDate) }
        : undefined;
    const common = {
      name: values.name,
      gender: values.gender,
      skills: values.skills.split(/[,，、;；\s]+/).map((s) => s.trim()).filter(Boolean),
      teamIds: values.teamIds,
      joinedOn: blank(values.joinedOn),
    };
    const needsConsent = (v: { birthYear?: number | null; birthDate?: string | null; idNumber?: string | null }) =>
      needsGuardianOn({ birthYear: v.birthYear, birthDate: v.birthDate ?? (v.idNumber ? undefined : volunteer?.birthDate), idNumber: v.idNumber ?? undefined }, today);
    const guardianRule = { message: m.volunteers.guardianRequired, path: ['guardianConsent', 'guardianName'] };
    if (volunteer) {
      const input = {
        ...common,
        phone: values.clearPhone ? null : blank(values.phone),
        idNumber: values.clearIdNumber ? null : blank(values.idNumber),
        birthYear: cleared(birthYear, volunteer.birthYear),
        address: cleared(blank(values.address), volunteer.address),
        notes: cleared(blank(values.notes), volunteer.notes),
        guardianConsent: cleared(guardianConsent, blank(values.guardianName) ? undefined : volunteer.guardianConsent),
        birthDate: cleared(blank(values.birthDate), volunteer.birthDate),
        idType: cleared(blank(values.idType), volunteer.idType),
        nationalVolunteerNo: cleared(blank(values.nationalVolunteerNo), volunteer.nationalVolunteerNo),
      };
      // A consent left untouched is still on record; one cleared (null) is not.
      const hasConsent = (consent: unknown) => (consent === undefined ? !!volunteer.guardianConsent : !!consent);
      const schema = volunteerUpdateSchema.refine((v) => !needsConsent(v) || hasConsent(v.guardianConsent), guardianRule);
      void form.submit(schema, input, async (data) => onSaved(await api.patch<VolunteerView>(`/volunteers/${volunteer.id}`, data)));
    } else {
      const consent = values.consentProcessing || values.consentIdNumber ? { processing: values.consentProcessing, idNumber: values.consentIdNumber } : undefined;
      const input = {
        ...common, phone: blank(values.phone), idNumber: blank(values.idNumber), birthYear, address: blank(values.address), notes: blank(values.notes), guardianConsent,
        birthDate: blank(values.birthDate), idType: blank(values.idType), nationalVolunteerNo: blank(values.nationalVolunteerNo), consent,
      };
      const schema = volunteerCreateSchema.refine((v) => !needsConsent(v) || !!v.guardianConsent, guardianRule);
      void form.submit(schema, input, async (data) => onSaved(await api.post<VolunteerView>('/volunteers', data)));
    }
  };

  return (
    <Dialog title={volunteer ? m.volunteers.editTitle : m.volunteers.register} onClose={onClose} wide>
      <form class="form form--grid" onSubmit={submit} noValidate>
        <Field label={m.volunteers.name} error={form.error('name')}>
          <input {...form.text('name')} maxLength={40} autoFocus required />
        </Field>
        <Field label={m.volunteers.gender} error={form.error('gender')}>
          <select value={values.gender} onChange={(event) => form.set('gender', event.currentTarget.value as Gender)}>
            {(['unspecified', 'female', 'male'] as const).map((gender) => (
              <option key={gender} value={gender}>
                {m.gender[gender]}
              </option>
            ))}
          </select>
        </Field>
        <MaskedField
          label={m.volunteers.phone}
          error={form.error('phone')}
          hint={m.volunteers.phoneHint}
          masked={volunteer?.phone}
          clearing={values.clearPhone}
          onClearing={(clear) => form.set('clearPhone', clear)}
        >
          <input {...form.text('phone')} inputMode="tel" autoComplete="off" placeholder={volunteer?.phone} disabled={values.clearPhone} />
        </MaskedField>
        <MaskedField
          label={m.volunteers.idNumber}
          error={form.error('idNumber')}
          hint={m.volunteers.idNumberHint}
          masked={volunteer?.idNumber}
          clearing={values.clearIdNumber}
          onClearing={(clear) => form.set('clearIdNumber', clear)}
        >
          <input {...form.text('idNumber')} autoComplete="off" placeholder={volunteer?.idNumber} disabled={values.clearIdNumber} />
        </MaskedField>
        <Field label={m.volunteers.birthYear} error={form.error('birthYear')}>
          <input {...form.text('birthYear')} type="number" inputMode="numeric" min={1900} max={thisYear} />
        </Field>
        <Field label={d.birthDate} error={form.error('birthDate')} hint={underAge && knownBirth ? d.under14(ageOn(knownBirth, today)) : d.birthDateHint}>
          <input {...form.text('birthDate')} type="date" max={today} />
        </Field>
        <Field label={m.volunteers.joinedOn} error={form.error('joinedOn')}>
          <input {...form.text('joinedOn')} type="date" />
        </Field>
        <Field label={d.idType} error={form.error('idType')}>
          <input {...form.text('idType')} maxLength={20} placeholder="居民身份证" list="id-types" />
        </Field>
        <datalist id="id-types">
          {['居民身份证', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '护照', '外国人永久居留身份证'].map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        <Field label={d.nationalVolunteerNo} error={form.error('nationalVolunteerNo')}>
          <input {...form.text('nationalVolunteerNo')} maxLength={40} />
        </Field>
        {showGuardian && (
          <fieldset class="field field--wide guardian-fields" data-testid="guardian-fields">
            <legend class="field__label">{m.volunteers.guardianName}</legend>
            <div class="form--grid">
              <Field label={m.volunteers.guardianName} error={form.error('guardianConsent.guardianName')} hint={m.volunteers.guardianHint}>
                <input {...form.text('guardianName')} maxLength={40} />
              </Field>
              <Field label={d.guardianRelation} error={form.error('guardianConsent.relation')}>
                <input {...form.text('guardianRelation')} maxLength={20} />
              </Field>
              <Field label={d.guardianPhone} error={form.error('guardianConsent.phone')}>
                <input {...form.text('guardianPhone')} inputMode="tel" />
              </Field>
              <Field label={d.guardianDate} error={form.error('guardianConsent.date')}>
                <input {...form.text('guardianDate')} type="date" max={today} />
              </Field>
            </div>
          </fieldset>
        )}
        <Field label={m.volunteers.address} error={form.error('address')} wide>
          <input {...form.text('address')} maxLength={200} />
        </Field>
        <Field label={m.volunteers.skills} error={form.error('skills')} hint={m.volunteers.skillsHint} wide>
          <input {...form.text('skills')} />
        </Field>
        <fieldset class="field field--wide">
          <legend class="field__label">{m.volunteers.teams}</legend>
          <div class="chips">
            {teams.length === 0 && <span class="muted">{m.teams.none}</span>}
            {teams.map((team) => (
              <label key={team.id} class="chip">
                <input
                  type="checkbox"
                  checked={values.teamIds.includes(team.id)}
                  onChange={(event) =>
                    form.set('teamIds', event.currentTarget.checked ? [...values.teamIds, team.id] : values.teamIds.filter((id) => id !== team.id))
                  }
                />
                {team.name}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label={m.volunteers.notes} error={form.error('notes')} wide>
          <textarea {...form.text('notes')} rows={2} maxLength={1000} />
        </Field>
        {!volunteer && (
          <fieldset class="field field--wide">
            <legend class="field__label">{d.consentAtRegistration}</legend>
            <label class="check">
              <input type="checkbox" name="consentProcessing" checked={values.consentProcessing} onChange={(event) => form.set('consentProcessing', event.currentTarget.checked)} />
              {m.organizing.privacy.processing}（{settings.privacy.noticeVersion}）
            </label>
            <label class="check">
              <input type="checkbox" name="consentIdNumber" checked={values.consentIdNumber} onChange={(event) => form.set('consentIdNumber', event.currentTarget.checked)} />
              {m.organizing.privacy.idNumber}
            </label>
          </fieldset>
        )}
        <div class="field--wide">
          <FormFailure form={form} />
          {typeof existingId === 'string' && (
            <Link to={`/volunteers/${existingId}`} onClick={onClose}>
              {m.volunteers.openExisting}
            </Link>
          )}
        </div>
        <div class="form__actions field--wide">
          <button type="button" class="button" onClick={onClose}>
            {m.common.cancel}
          </button>
          <button type="submit" class="button button--primary" disabled={form.busy}>
            {volunteer ? m.common.save : m.volunteers.registerAndIssue}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * A number that arrives masked (138****8888): left empty it stays as it is, retyped it is
 * replaced, and a box below clears it. The masked text is only a placeholder, never sent back.
 */
function MaskedField({
  label,
  error,
  hint,
  masked,
  clearing,
  onClearing,
  children,
}: {
  label: string;
  error?: string;
  hint: string;
  masked: string | undefined;
  clearing: boolean;
  onClearing: (clear: boolean) => void;
  children: ComponentChildren;
}) {
  const m = useMessages();
  if (!masked) {
    return (
      <Field label={label} error={error} hint={hint}>
        {children}
      </Field>
    );
  }
  return (
    <div class="field-stack">
      <Field label={label} error={error} hint={clearing ? m.volunteers.willClear : m.volunteers.keepMasked(masked)}>
        {children}
      </Field>
      <label class="check check--small">
        <input type="checkbox" checked={clearing} onChange={(event) => onClearing(event.currentTarget.checked)} />
        {m.volunteers.clearField(label)}
      </label>
    </div>
  );
}
