import { createHash, X509Certificate } from 'node:crypto';
import { escapeHtml } from './messages.ts';

/** A UUID that stays the same for the same CA, so installing the profile again replaces it instead of adding a second one. */
function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}

/**
 * An iOS/iPadOS configuration profile that installs the CA as a trusted root (PayloadType
 * com.apple.security.root). It is unsigned, so iOS marks it "Not Verified"; the fingerprint on
 * the setup page is how staff can check it. After installing, iOS still asks for full trust under
 * General → About → Certificate Trust Settings.
 */
export function caMobileConfig(caCertPem: string): string {
  const cert = new X509Certificate(caCertPem);
  const der = cert.raw.toString('base64').replace(/(.{64})/g, '$1\n');
  const id = cert.fingerprint256.replace(/:/g, '').slice(0, 16).toLowerCase();
  const name = '志愿驿站 Volunteer Station CA';
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadContent</key>
  <array>
    <dict>
      <key>PayloadCertificateFileName</key>
      <string>volunteer-station-ca.cer</string>
      <key>PayloadContent</key>
      <data>
${der}
      </data>
      <key>PayloadDescription</key>
      <string>Adds the certificate authority of this center's Volunteer Station PC</string>
      <key>PayloadDisplayName</key>
      <string>${escapeHtml(name)}</string>
      <key>PayloadIdentifier</key>
      <string>cn.volunteer-station.ca.${id}.root</string>
      <key>PayloadType</key>
      <string>com.apple.security.root</string>
      <key>PayloadUUID</key>
      <string>${stableUuid(`${id}:root`)}</string>
      <key>PayloadVersion</key>
      <integer>1</integer>
    </dict>
  </array>
  <key>PayloadDescription</key>
  <string>让 iPad 信任本中心的志愿驿站电脑，以便用摄像头扫码签到。Lets this iPad trust the center's Volunteer Station PC, so the camera can scan cards.</string>
  <key>PayloadDisplayName</key>
  <string>${escapeHtml(name)}</string>
  <key>PayloadIdentifier</key>
  <string>cn.volunteer-station.ca.${id}</string>
  <key>PayloadRemovalDisallowed</key>
  <false/>
  <key>PayloadType</key>
  <string>Configuration</string>
  <key>PayloadUUID</key>
  <string>${stableUuid(`${id}:profile`)}</string>
  <key>PayloadVersion</key>
  <integer>1</integer>
</dict>
</plist>
`;
}
