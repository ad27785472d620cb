/**
 * An in-process Secrets Manager for ListSecrets and ListSecretVersionIds: a request handler the SDK
 * client sends its real, serialised requests to, answering with the JSON the service would send.
 * The SDK's own serialisation, middleware (retries, the rate limiter) and parsing all run; only
 * the network is missing. Used by the unit tests and by the scan benchmark.
 */
import { Readable } from 'node:stream';

export interface FakeSecret {
  ARN: string;
  Name: string;
  CreatedDate?: number;
  LastChangedDate?: number;
  LastRotatedDate?: number;
  LastAccessedDate?: number;
  NextRotationDate?: number;
  DeletedDate?: number;
  RotationEnabled?: boolean;
  RotationLambdaARN?: string;
  RotationRules?: { AutomaticallyAfterDays?: number; ScheduleExpression?: string };
  KmsKeyId?: string;
  OwningService?: string;
  Tags?: { Key: string; Value: string }[];
  SecretVersionsToStages?: Record<string, string[]>;
}

export interface FakeOptions {
  /** Epoch seconds of each secret's AWSCURRENT version, by ARN; absent: its CreatedDate. */
  currentVersionDates?: Map<string, number>;
  /** Errors to answer for ListSecretVersionIds, by ARN: [HTTP status, error type]. */
  versionErrors?: Map<string, [number, string]>;
  /** Errors for the first n ListSecrets calls (throttling, say). */
  listErrors?: [number, string][];
}

interface Request {
  headers: Record<string, string>;
  body?: unknown;
}

function reply(status: number, payload: unknown) {
  return replyWith(status, Buffer.from(JSON.stringify(payload)));
}

function replyWith(status: number, body: Buffer) {
  return {
    response: {
      statusCode: status,
      reason: status === 200 ? 'OK' : 'Error',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(body.length), 'x-amzn-requestid': 'fake' },
      body: Readable.from([body]),
    },
  };
}

function errorReply(status: number, type: string) {
  return reply(status, { __type: type, message: `${type} (fake)` });
}

export class FakeSecretsManager {
  readonly requests: { target: string; input: Record<string, unknown> }[] = [];
  private listErrors: [number, string][];
  private readonly pages = new Map<string, string>();
  /** Serialised pages, so that a benchmark measures the client, not this fake. */
  private readonly bodies = new Map<string, Buffer>();
  private readonly byArn: Map<string, FakeSecret>;

  constructor(
    readonly secrets: readonly FakeSecret[],
    private readonly options: FakeOptions = {},
  ) {
    this.listErrors = [...(options.listErrors ?? [])];
    this.byArn = new Map(secrets.map((s) => [s.ARN, s]));
  }

  /** The SDK's requestHandler: what the client sends its serialised requests to. */
  readonly handler = {
    handle: async (request: Request) => {
      const target = String(request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? '').replace('secretsmanager.', '');
      // The SDK's body is a Uint8Array whose string methods it warns about: read its bytes.
      const bytes = request.body as Uint8Array;
      const text = typeof request.body === 'string' ? request.body : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
      const input = JSON.parse(text) as Record<string, unknown>;
      this.requests.push({ target, input });
      if (target === 'ListSecrets') return this.listSecrets(input);
      if (target === 'ListSecretVersionIds') return this.listVersions(input);
      return errorReply(400, 'AccessDeniedException');
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };

  calls(target: string): number {
    return this.requests.filter((r) => r.target === target).length;
  }

  private listSecrets(input: Record<string, unknown>) {
    const error = this.listErrors.shift();
    if (error) return errorReply(error[0], error[1]);
    const size = Number(input.MaxResults ?? 100);
    const start = input.NextToken ? Number(this.pages.get(String(input.NextToken))) : 0;
    const visible = input.IncludePlannedDeletion ? this.secrets : this.secrets.filter((s) => s.DeletedDate === undefined);
    const next = start + size < visible.length ? `token-${start + size}` : undefined;
    if (next) this.pages.set(next, String(start + size));
    const key = `${start} ${size} ${Boolean(input.IncludePlannedDeletion)}`;
    let body = this.bodies.get(key);
    if (!body) {
      body = Buffer.from(JSON.stringify({ SecretList: visible.slice(start, start + size), ...(next ? { NextToken: next } : {}) }));
      this.bodies.set(key, body);
    }
    return replyWith(200, body);
  }

  private listVersions(input: Record<string, unknown>) {
    const arn = String(input.SecretId);
    const error = this.options.versionErrors?.get(arn);
    if (error) return errorReply(error[0], error[1]);
    const secret = this.byArn.get(arn);
    if (!secret) return errorReply(400, 'ResourceNotFoundException');
    const created = this.options.currentVersionDates?.get(arn) ?? secret.CreatedDate;
    return reply(200, {
      ARN: arn,
      Name: secret.Name,
      Versions: [
        { VersionId: 'v-current', VersionStages: ['AWSCURRENT'], CreatedDate: created },
        { VersionId: 'v-previous', VersionStages: ['AWSPREVIOUS'], CreatedDate: (secret.CreatedDate ?? 0) - 1 },
      ],
    });
  }
}
