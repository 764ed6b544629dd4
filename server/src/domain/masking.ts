/**
 * Public screens show 张*明, never a full name, phone or ID number. Two-character names keep
 * the family name (张*); longer names keep the first and last character. Latin names keep
 * the first letter of each word.
 */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (/^[\x20-\x7e]+$/.test(trimmed)) {
    return trimmed
      .split(/\s+/)
      .map((word) => (word.length <= 1 ? word : `${word[0]}${'*'.repeat(Math.min(word.length - 1, 3))}`))
      .join(' ');
  }
  const chars = Array.from(trimmed);
  if (chars.length <= 1) return trimmed;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export function maskIdNumber(idNumber: string): string {
  return idNumber.length >= 8 ? `${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}` : '****';
}
