export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  // Tests assert on the shape themselves; `any` keeps those assertions short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/** One HTTP request over the loopback, JSON in and out. */
export async function request(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const response = await fetch(url, {
    ...init,
    headers: {
      'content-type': 'application/json',
      // A fresh connection each time: a kept-alive socket the server closed while a slow test step
      // ran (its idle timeout is 5 s) would fail the next request with ECONNRESET.
      connection: 'close',
      ...(init.headers as Record<string, string> | undefined),
    },
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text so the assertion shows it
  }
  return { status: response.status, headers: response.headers, body };
}
