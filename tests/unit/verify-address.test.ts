import { describe, expect, it } from 'vitest';
import { centerPhoneSchema, publicVerifyUrlSchema } from '../../server/src/protocol/certificate-check.ts';
import { verifyUrl, type VerifyAddressInput } from '../../server/src/print/verify-address.ts';

const base: VerifyAddressInput = { publicVerifyUrl: '', extraHostnames: [], mdnsName: 'volunteer-station', httpPort: 8080, request: { protocol: 'http', host: '192.168.1.23:8080' } };

describe('the address printed on a certificate for checking it', () => {
  it('is the mDNS name on the plain-HTTP port, never the DHCP address the page was opened under', () => {
    expect(verifyUrl(base, 'ZS20260001')).toBe('http://volunteer-station.local:8080/verify/ZS20260001');
    expect(verifyUrl({ ...base, request: { protocol: 'https', host: '192.168.1.23:8443' } }, 'ZS20260001')).toBe('http://volunteer-station.local:8080/verify/ZS20260001');
    expect(verifyUrl({ ...base, request: { protocol: 'http', host: 'localhost:8080' } }, 'ZS20260001')).toBe('http://volunteer-station.local:8080/verify/ZS20260001');
    expect(verifyUrl({ ...base, httpPort: 80 }, 'ZS1')).toBe('http://volunteer-station.local/verify/ZS1');
    expect(verifyUrl({ ...base, mdnsName: 'xingfuli' }, 'ZS1')).toBe('http://xingfuli.local:8080/verify/ZS1');
  });

  it('keeps the request port when the station has not told its HTTP port (in-process servers)', () => {
    expect(verifyUrl({ ...base, httpPort: null, request: { protocol: 'http', host: '127.0.0.1:41234' } }, 'ZS1')).toBe('http://volunteer-station.local:41234/verify/ZS1');
    expect(verifyUrl({ ...base, httpPort: null, request: { protocol: 'http', host: 'localhost' } }, 'ZS1')).toBe('http://volunteer-station.local/verify/ZS1');
  });

  it('keeps a configured host name staff opened the page under (the center keeps it pointing at the PC)', () => {
    const named = { ...base, extraHostnames: ['Station.LAN'], request: { protocol: 'https', host: 'station.lan:8443' } };
    expect(verifyUrl(named, 'ZS1')).toBe('https://station.lan:8443/verify/ZS1');
    // An unconfigured name (anything a browser sent as Host) is not trusted onto paper.
    expect(verifyUrl({ ...named, extraHostnames: [] }, 'ZS1')).toBe('http://volunteer-station.local:8080/verify/ZS1');
  });

  it('is the public check address when the center has one, whatever the page was opened under', () => {
    const input = { ...base, publicVerifyUrl: 'https://zhiyuan.example.org/station', extraHostnames: ['station.lan'], request: { protocol: 'https', host: 'station.lan' } };
    expect(verifyUrl(input, 'ZS2026/0001')).toBe('https://zhiyuan.example.org/station/verify/ZS2026%2F0001');
    expect(verifyUrl({ ...input, publicVerifyUrl: 'https://zhiyuan.example.org/' }, 'ZS1')).toBe('https://zhiyuan.example.org/verify/ZS1');
  });
});

describe('the public check address setting', () => {
  const ok = (value: string) => publicVerifyUrlSchema.safeParse(value).success;
  it('accepts http(s) addresses with a plain path, stored without a trailing slash', () => {
    for (const value of ['', 'https://zhiyuan.example.org', 'http://192.0.2.10:8080', 'https://example.org/station/', 'https://[2001:db8::1]:8443', 'https://xn--fiq228c.example/a_b~c']) expect(ok(value), value).toBe(true);
    expect(publicVerifyUrlSchema.parse(' https://example.org/station/ ')).toBe('https://example.org/station');
  });
  it('refuses other schemes, credentials, queries, fragments, dot segments, escapes and backslashes', () => {
    for (const value of [
      'ftp://example.org',
      'javascript:alert(1)',
      'example.org',
      '//example.org',
      'https://user:pass@example.org',
      'https://example.org@evil.example',
      'https://example.org/?next=evil',
      'https://example.org/#x',
      'https://example.org/a/../admin',
      'https://example.org/./a',
      'https://example.org/%2e%2e/admin',
      'https://example.org\\evil.example',
      'https://exa mple.org',
      'https://example.org:99999',
      'https://-bad.example',
      'https://example.org//x',
    ])
      expect(ok(value), value).toBe(false);
  });
});

describe('the center phone setting', () => {
  const ok = (value: string) => centerPhoneSchema.safeParse(value).success;
  it('accepts mobiles, landlines with area codes, service numbers, hotlines and extensions', () => {
    for (const value of ['', '13912345678', '010-12345678', '0571 8888 6666', '400-123-4567', '12345', '+86 10 12345678', '010-12345678 转 801']) expect(ok(value), value).toBe(true);
  });
  it('refuses words, too few or too many digits, and stray separators', () => {
    for (const value of ['请致电', '1234', '010--12345678', '123456789012345678901', 'tel:010-12345678', '010-1234567a', '-010-1234']) expect(ok(value), value).toBe(false);
  });
});
