/** RFC 9457 problem details, with our stable `code` and, for bad input, the fields at fault. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly FieldError[];
}

export interface FieldError {
  readonly field: string;
  readonly reason: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export const problem = (status: number, code: string, detail: string, errors?: readonly FieldError[]): Problem => ({
  type: `urn:helpdesk:problem:${code}`,
  title: TITLES[status] ?? 'Error',
  status,
  detail,
  code,
  ...(errors && errors.length > 0 ? { errors } : {}),
});
