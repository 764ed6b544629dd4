import { createPrivateKey, generateKeyPair, randomBytes, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { CertificateNames } from './certificate-names.ts';

/**
 * The center's own little certificate authority, made on first start with no internet: tablets
 * trust its certificate once (the /setup/ page), and every server certificate it signs later, for
 * new addresses or on expiry, is trusted without touching the tablets again. The CA key stays in
 * DATA_DIR/tls with owner-only permissions and is never served.
 */

const DAY = 86400_000;
/** Apple refuses TLS certificates valid for more than 825 days, even under a root the user added. */
const SERVER_VALIDITY_DAYS = 397;
const CA_VALIDITY_YEARS = 20;
const RENEW_BEFORE_DAYS = 30;
/** Tablets without internet keep their own time; a little back-dating spares one whose clock is slow. */
const BACKDATE_DAYS = 2;

export const TLS_DIR = 'tls';
export const CA_CERT_FILE = 'ca.pem';
export const CA_KEY_FILE = 'ca.key';
export const SERVER_CERT_FILE = 'server.pem';
export const SERVER_KEY_FILE = 'server.key';

export interface LocalTls {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

export interface EnsureResult extends LocalTls {
  /** Why new certificates were made this time, for the log; empty when the stored ones still fit. */
  changes: string[];
}

const generateRsa = promisify(generateKeyPair);

async function newKeyPair(): Promise<{ publicKeyPem: string; privateKeyPem: string }> {
  // node:crypto makes the key natively (forge's pure-JS key generation takes seconds on a small PC).
  const { publicKey, privateKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f; // DER integers are signed: keep the serial positive.
  return bytes.toString('hex');
}

const UTF8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;

/** forge encodes a UTF8String attribute's JS string itself, but hands back raw bytes when it parses one. */
function utf8Attribute(name: string, value: string): forge.pki.CertificateField {
  return { name, value, valueTagClass: UTF8 };
}

function reusableAttributes(attributes: forge.pki.CertificateField[]): forge.pki.CertificateField[] {
  return attributes.map((a) => (a.valueTagClass === UTF8 && typeof a.value === 'string' ? { ...a, value: forge.util.decodeUtf8(a.value) } : a));
}

export function caCommonName(hostname: string): string {
  // iOS lists the CA by this name under Certificate Trust Settings: make it recognisable.
  return `志愿驿站 Volunteer Station CA (${hostname})`;
}

async function createCa(hostname: string, now: Date): Promise<{ certPem: string; keyPem: string }> {
  const keys = await newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - 30 * DAY);
  cert.validity.notAfter = new Date(now.getTime());
  cert.validity.notAfter.setFullYear(now.getFullYear() + CA_VALIDITY_YEARS);
  const subject = [utf8Attribute('commonName', caCommonName(hostname)), utf8Attribute('organizationName', '志愿驿站 Volunteer Station')];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    // pathLen 0: this CA signs server certificates only, never another CA.
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

async function createServerCertificate(ca: { certPem: string; keyPem: string }, names: CertificateNames, now: Date): Promise<{ certPem: string; keyPem: string }> {
  const keys = await newKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - BACKDATE_DAYS * DAY);
  cert.validity.notAfter = new Date(now.getTime() + SERVER_VALIDITY_DAYS * DAY);
  cert.setSubject([utf8Attribute('commonName', names.dnsNames.find((n) => n.endsWith('.local')) ?? 'localhost'), utf8Attribute('organizationName', '志愿驿站 Volunteer Station')]);
  cert.setIssuer(reusableAttributes(caCert.subject.attributes));
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    // Apple and Chrome require serverAuth and the names in subjectAltName (the CN is ignored).
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...names.dnsNames.map((value) => ({ type: 2, value })), ...names.ipAddresses.map((ip) => ({ type: 7, ip }))] },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** Why the stored server certificate no longer fits, or null when it does. */
export function serverCertificateProblem(server: { certPem: string; keyPem: string }, caCertPem: string, names: CertificateNames, now: Date): string | null {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(server.certPem);
    // A power cut between writing the new key and its certificate leaves a pair that does not match.
    if (!cert.checkPrivateKey(createPrivateKey(server.keyPem))) return 'the server key does not match its certificate';
  } catch {
    return 'the server certificate or key is unreadable';
  }
  const ca = new X509Certificate(caCertPem);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'the server certificate was not issued by this CA';
  if (Date.parse(cert.validTo) - now.getTime() < RENEW_BEFORE_DAYS * DAY) return 'the server certificate expires soon';
  const missing = [
    ...names.dnsNames.filter((name) => cert.checkHost(name, { subject: 'never' }) !== name),
    ...names.ipAddresses.filter((ip) => cert.checkIP(ip) !== ip),
  ];
  return missing.length > 0 ? `the server certificate does not cover ${missing.join(', ')}` : null;
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Temp file + rename, so a power cut leaves the old file or the new one, never half of one. */
async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  const temp = `${file}.tmp`;
  await fs.writeFile(temp, text, { mode });
  await fs.chmod(temp, mode);
  await fs.rename(temp, file);
}

/**
 * Loads the CA and server certificate from DATA_DIR/tls, making whatever is missing or no
 * longer fits. A CA is replaced only when its key is gone (a backup downloaded over the network
 * leaves it out): then every tablet must trust the new one, and `changes` says so.
 */
export async function ensureLocalTls(dataDir: string, names: CertificateNames, options: { hostname: string; now: Date }): Promise<EnsureResult> {
  const dir = path.join(dataDir, TLS_DIR);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const changes: string[] = [];
  let caCertPem = await readIfExists(path.join(dir, CA_CERT_FILE));
  let caKeyPem = await readIfExists(path.join(dir, CA_KEY_FILE));
  let serverCertPem = await readIfExists(path.join(dir, SERVER_CERT_FILE));
  let serverKeyPem = await readIfExists(path.join(dir, SERVER_KEY_FILE));

  const caUsable = caCertPem !== null && Date.parse(new X509Certificate(caCertPem).validTo) - options.now.getTime() > SERVER_VALIDITY_DAYS * DAY;
  let problem = caUsable && serverCertPem && serverKeyPem ? serverCertificateProblem({ certPem: serverCertPem, keyPem: serverKeyPem }, caCertPem!, names, options.now) : 'there is no server certificate yet';
  if (!caUsable || (problem && !caKeyPem)) {
    changes.push(caCertPem ? 'made a new certificate authority (the old one expires or its key is not here): every tablet must trust it again' : 'made the certificate authority');
    const ca = await createCa(options.hostname, options.now);
    caCertPem = ca.certPem;
    caKeyPem = ca.keyPem;
    // The key first: a cut between the two writes leaves a key without its certificate, which is remade.
    await writeAtomically(path.join(dir, CA_KEY_FILE), caKeyPem, 0o600);
    await writeAtomically(path.join(dir, CA_CERT_FILE), caCertPem, 0o644);
    problem = 'there is a new certificate authority';
  }
  if (problem) {
    changes.push(`made a new server certificate (${problem})`);
    const server = await createServerCertificate({ certPem: caCertPem!, keyPem: caKeyPem! }, names, options.now);
    serverCertPem = server.certPem;
    serverKeyPem = server.keyPem;
    await writeAtomically(path.join(dir, SERVER_KEY_FILE), serverKeyPem, 0o600);
    await writeAtomically(path.join(dir, SERVER_CERT_FILE), serverCertPem, 0o644);
  }
  return { caCertPem: caCertPem!, serverCertPem: serverCertPem!, serverKeyPem: serverKeyPem!, changes };
}
