import { errorCodes, type ErrorCode, type WireError } from '@protocol/errors.ts';

/** The server's codes, plus one the browser knows alone: the server could not be reached. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

/** A failed API call, carrying the machine-readable code for the message catalog. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field problems of a VALIDATION_FAILED answer, keyed by the field's path ("guardianConsent.guardianName"). */
  get problems(): Record<string, string> {
    const list = this.details?.problems;
    if (!Array.isArray(list)) return {};
    const byField: Record<string, string> = {};
    for (const item of list as { field?: unknown; message?: unknown }[]) {
      if (typeof item.field === 'string' && typeof item.message === 'string' && !(item.field in byField)) byField[item.field] = item.message;
    }
    return byField;
  }
}

const knownCodes = new Set<string>(errorCodes);

/** Called on any 401 so the app can return to the login screen (a session expired or was ended by an admin). */
let onUnauthenticated: () => void = () => undefined;
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

async function toApiError(response: Response): Promise<ApiError> {
  let wire: Partial<WireError> | undefined;
  try {
    wire = ((await response.json()) as { error?: Partial<WireError> }).error;
  } catch {
    // A proxy or a half-started server may answer with HTML; the status still says enough.
  }
  const code: ErrorCode = wire?.code && knownCodes.has(wire.code) ? wire.code : response.status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED';
  return new ApiError(response.status, code, wire?.message ?? response.statusText, wire?.details);
}

type Body = unknown | Blob | File | FormData;

async function request<T>(method: string, path: string, body?: Body, options: { contentType?: string } = {}): Promise<T> {
  const isFile = body instanceof Blob;
  // A multipart form (a volunteer's photo): the browser writes the Content-Type with its boundary.
  const isForm = body instanceof FormData;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined || isForm ? {} : { 'content-type': options.contentType ?? (isFile ? body.type || 'application/octet-stream' : 'application/json') },
      body: body === undefined ? undefined : isFile || isForm ? body : JSON.stringify(body),
    });
  } catch {
    // fetch rejects only when the server cannot be reached at all (PC off, Wi-Fi down).
    throw new ApiError(0, 'NETWORK', 'The server could not be reached');
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && !path.startsWith('/auth/')) onUnauthenticated();
    throw error;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The one way the admin talks to the server: JSON under /api with the same-origin session cookie. */
export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: Body = {}, options?: { contentType?: string }) => request<T>('POST', path, body, options),
  patch: <T>(path: string, body: Body) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: Body) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Builds "?a=1&b=2" from the given values, leaving out empty ones. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
