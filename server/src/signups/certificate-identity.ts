import type { Certificate, Volunteer } from '../protocol/model.ts';
import type { StationState } from '../store/state.ts';
import { idTypeOf } from './national-export.ts';

/**
 * What a certificate (志愿服务记录证明) records beyond the hours, fixed when it is issued: the
 * volunteer's ID type and national volunteer number, and the issuer's 负责人, 经办人 and contact
 * (2015 guidance on certificates; 2020 measures art. 12).
 */
export function certificateIdentity(state: StationState, volunteer: Volunteer): Pick<Certificate, 'idType' | 'nationalVolunteerNo' | 'issuer'> {
  const { issuerHead, issuerHandler, issuerContact } = state.settings.certificate;
  const idType = idTypeOf(volunteer);
  const issuer = { ...(issuerHead ? { head: issuerHead } : {}), ...(issuerHandler ? { handler: issuerHandler } : {}), ...(issuerContact ? { contact: issuerContact } : {}) };
  return {
    ...(idType ? { idType } : {}),
    ...(volunteer.nationalVolunteerNo ? { nationalVolunteerNo: volunteer.nationalVolunteerNo } : {}),
    ...(Object.keys(issuer).length > 0 ? { issuer } : {}),
  };
}
