/**
 * A stateful AWS on loopback for the infra and Data API tests: one HTTP server on 127.0.0.1 (a free port)
 * that answers the real SDK clients of IAM, Redshift, EC2 and STS (Query protocol, XML) and of Redshift
 * Serverless and the Data API (JSON 1.1), routed by the API version of a Query form or the X-Amz-Target
 * header. Point clients at it with `env()` (AWS_ENDPOINT_URL_<SERVICE> and dummy credentials). Signatures
 * are not checked. `failNext` makes the next call of an action fail with the error AWS would give.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsState } from './aws-state.js';
import { AwsFault, ec2Error, QueryForm, queryError } from './aws-wire.js';
import { DataApiService } from './data-api-service.js';
import { QUERY_SERVICES } from './query-services.js';
import { handleServerless } from './serverless-service.js';

/** Options of the server. */
export interface AwsServerOptions {
  /** The test PostgreSQL server the Data API runs statements on. */
  readonly postgresUrl?: string;
  /** The schema its sessions use. */
  readonly schema?: string;
  /** The loopback S3 its Data API reads manifest COPYs from; without it, COPYs are only recorded. */
  readonly s3Endpoint?: string;
}

/** A running loopback AWS. */
export interface AwsServer {
  readonly endpoint: string;
  readonly state: AwsState;
  readonly dataApi: DataApiService;
  /** Every action received, in order: `iam:CreateRole`, `redshift:DescribeClusters`, ... */
  readonly calls: string[];
  /** The next call of `action` (such as `CreateCluster`) fails with `code`, `message` and `status`. */
  failNext(action: string, code: string, message: string, status?: number): void;
  /** Environment variables that point every SDK client here, with dummy credentials. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

/** Starts the server. */
export async function startAwsServer(options: AwsServerOptions = {}): Promise<AwsServer> {
  const state = new AwsState();
  const dataApi = new DataApiService(options.postgresUrl, options.schema, state, options.s3Endpoint);
  const calls: string[] = [];
  const failures = new Map<string, AwsFault>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string') {
      const [prefix, action = ''] = target.split('.');
      const service = prefix === 'RedshiftServerless' ? 'redshift-serverless' : 'redshift-data';
      calls.push(`${service}:${action}`);
      try {
        const injected = take(failures, action);
        if (injected) throw injected;
        const input = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
        const output = service === 'redshift-serverless' ? handleServerless(action, input, state) : await dataApi.handle(action, input);
        send(response, 200, 'application/x-amz-json-1.1', JSON.stringify(output));
      } catch (error) {
        const fault = asFault(error);
        response.setHeader('x-amzn-errortype', fault.code);
        send(response, fault.status, 'application/x-amz-json-1.1', JSON.stringify({ __type: fault.code, message: fault.message }));
      }
      return;
    }
    const form = new QueryForm(new URLSearchParams(body));
    const action = form.get('Action') ?? '';
    const service = QUERY_SERVICES[form.get('Version') ?? ''];
    if (!service) {
      send(response, 400, 'text/xml', queryError(new AwsFault('InvalidAction', `Unknown API version ${form.get('Version')}`), ''));
      return;
    }
    calls.push(`${serviceName(form.get('Version'))}:${action}`);
    try {
      const injected = take(failures, action);
      if (injected) throw injected;
      send(response, 200, 'text/xml', service.handle(action, form, state));
    } catch (error) {
      const fault = asFault(error);
      send(response, fault.status, 'text/xml', service.ec2 ? ec2Error(fault) : queryError(fault, service.namespace));
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => send(response, 500, 'text/plain', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    state,
    dataApi,
    calls,
    failNext(action, code, message, status = 400) {
      failures.set(action, new AwsFault(code, message, status));
    },
    env: () => ({
      AWS_ENDPOINT_URL_IAM: endpoint,
      AWS_ENDPOINT_URL_REDSHIFT: endpoint,
      AWS_ENDPOINT_URL_EC2: endpoint,
      AWS_ENDPOINT_URL_STS: endpoint,
      AWS_ENDPOINT_URL_REDSHIFT_SERVERLESS: endpoint,
      AWS_ENDPOINT_URL_REDSHIFT_DATA: endpoint,
      AWS_ACCESS_KEY_ID: 'AKIALOOPBACKTEST0000',
      AWS_SECRET_ACCESS_KEY: 'loopback-secret-not-real',
      AWS_REGION: 'us-west-2',
    }),
    async close() {
      await dataApi.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serviceName(version: string | undefined): string {
  return { '2010-05-08': 'iam', '2012-12-01': 'redshift', '2016-11-15': 'ec2', '2011-06-15': 'sts' }[version ?? ''] ?? 'unknown';
}

function take(failures: Map<string, AwsFault>, action: string): AwsFault | undefined {
  const fault = failures.get(action);
  failures.delete(action);
  return fault;
}

function asFault(error: unknown): AwsFault {
  return error instanceof AwsFault ? error : new AwsFault('InternalFailure', String(error), 500);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
