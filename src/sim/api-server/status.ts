/** Kubernetes `Status` bodies: what a real API server sends for every error, so clients parse them as usual. */

const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export type StatusDetails = Readonly<{name?: string; group?: string; kind?: string; retryAfterSeconds?: number}>;

export type StatusObject = Readonly<{
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}>;

export function reasonFor(code: number): string {
  return REASONS[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest');
}

export function statusObject(code: number, message: string, details?: StatusDetails): StatusObject {
  return {kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: reasonFor(code), ...(details ? {details} : {}), code};
}
