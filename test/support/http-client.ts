/** A thin fetch wrapper for the HTTP tests: JSON in, status + headers + JSON out, never throws on 4xx/5xx. */
export interface HttpResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface HttpClient {
  request<T = any>(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string>; raw?: string }): Promise<HttpResponse<T>>;
  get<T = any>(path: string, headers?: Record<string, string>): Promise<HttpResponse<T>>;
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResponse<T>>;
  patch<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResponse<T>>;
  put<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResponse<T>>;
  delete<T = any>(path: string, headers?: Record<string, string>): Promise<HttpResponse<T>>;
  as(token: string | undefined): HttpClient;
}

export const httpClient = (baseUrl: string, token?: string): HttpClient => {
  const request = async <T>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; raw?: string } = {}) => {
    const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers };
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  };
  const client: HttpClient = {
    request,
    get: (path, headers) => request('GET', path, { headers }),
    post: (path, body, headers) => request('POST', path, { body: body ?? {}, headers }),
    patch: (path, body, headers) => request('PATCH', path, { body, headers }),
    put: (path, body, headers) => request('PUT', path, { body: body ?? {}, headers }),
    delete: (path, headers) => request('DELETE', path, { headers }),
    as: (other) => httpClient(baseUrl, other),
  };
  return client;
};
