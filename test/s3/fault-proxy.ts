/**
 * A tiny HTTP proxy on loopback in front of the S3 test server, for what s3rver cannot do itself: answer
 * some requests with server errors (to prove the SDK's retries absorb them), and answer like AWS does for a
 * bucket in another region or a denied request. Everything else is forwarded untouched.
 */
import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What to do with one request: forward it (optionally adding response headers) or answer it here. */
export type ProxyAction = { readonly forward: true; readonly addHeaders?: Record<string, string> } | ProxyAnswer;

/** A response made here instead of by the server. */
export interface ProxyAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** Decides each request's fate; `undefined` forwards it. */
export type ProxyRule = (request: IncomingMessage) => ProxyAction | undefined;

/** A running proxy. */
export interface FaultProxy {
  readonly endpoint: string;
  /** Requests seen, and requests answered here instead of forwarded. */
  readonly stats: { requests: number; answered: number };
  close(): Promise<void>;
}

/** An S3 error document, as S3 sends it. */
export function s3ErrorXml(code: string, message: string, extra: Record<string, string> = {}): string {
  const fields = Object.entries(extra)
    .map(([name, value]) => `<${name}>${value}</${name}>`)
    .join('');
  const error = `<Error><Code>${code}</Code><Message>${message}</Message>${fields}<RequestId>FAULTPROXY</RequestId></Error>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${error}`;
}

/** An answer with an S3 error document, as S3 sends it. */
export function s3Error(status: number, code: string, message: string, extra: Record<string, string> = {}): ProxyAnswer {
  return { status, headers: { 'content-type': 'application/xml' }, body: s3ErrorXml(code, message, extra) };
}

/**
 * Every 3rd GET (listing pages and objects alike) fails with 503 SlowDown or 500 InternalError, in turn. A URL
 * that already failed once goes through on its next attempt, so any retry strategy with 2+ attempts wins, and
 * the test is deterministic whatever order concurrent requests arrive in.
 */
export function everyThirdGetFails(): ProxyRule {
  let gets = 0;
  const failedOnce = new Set<string>();
  return (request) => {
    if (request.method !== 'GET') return undefined;
    gets += 1;
    const url = request.url ?? '';
    if (gets % 3 !== 0 || failedOnce.has(url)) return undefined;
    failedOnce.add(url);
    return (gets / 3) % 2 === 1
      ? s3Error(503, 'SlowDown', 'Please reduce your request rate.')
      : s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
  };
}

/**
 * Behaves like AWS for a bucket that lives in `region`: a request signed for another region gets a 301 with
 * `x-amz-bucket-region` (HEAD, no body) or a 400 AuthorizationHeaderMalformed naming the region (other
 * methods), as S3 answers them. Requests signed for `region` are forwarded and carry the header, like S3's.
 */
export function bucketInRegion(region: string): ProxyRule {
  return (request): ProxyAction | undefined => {
    const signedFor = /Credential=[^/]+\/\d{8}\/([^/]+)\/s3\//.exec(request.headers.authorization ?? '')?.[1];
    const regionHeader = { 'x-amz-bucket-region': region };
    if (signedFor === undefined || signedFor === region) return { forward: true, addHeaders: regionHeader };
    if (request.method === 'HEAD') return { status: 301, headers: regionHeader };
    const message = `The authorization header is malformed; the region '${signedFor}' is wrong; expecting '${region}'`;
    const answer = s3Error(400, 'AuthorizationHeaderMalformed', message, { Region: region });
    return { ...answer, headers: { ...answer.headers, ...regionHeader } };
  };
}

/** Starts a proxy to `target` (`http://127.0.0.1:<port>`) on a free loopback port. */
export async function startFaultProxy(target: string, rule: ProxyRule): Promise<FaultProxy> {
  const upstream = new URL(target);
  const stats = { requests: 0, answered: 0 };
  const server = createServer((request, response) => {
    stats.requests += 1;
    const action = rule(request);
    if (action && !('forward' in action)) {
      stats.answered += 1;
      // Drain the request body first so the client sees a clean response, not a reset.
      request.resume();
      request.on('end', () => {
        response.writeHead(action.status, action.headers);
        response.end(request.method === 'HEAD' ? undefined : action.body);
      });
      return;
    }
    const headers: OutgoingHttpHeaders = { ...request.headers, host: upstream.host };
    const forwarded = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, { ...reply.headers, ...(action?.addHeaders ?? {}) });
        reply.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
