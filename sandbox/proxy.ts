/**
 * The sandbox proxy: a `node:http` server on 127.0.0.1 in front of moto. It forwards
 * what moto emulates, answers what moto lacks (emulate.ts), injects faults and AWS's
 * default rate quotas on demand, logs every call, and serves a control API under
 * `/__sandbox/` (a path the AWS SDKs never use).
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { answerLocally, correctAnswer, type MotoAnswer, type MotoCall } from './emulate.js'
import { answerServiceQuotas } from './service-quotas.js'
import { ProxyState, type StateSeed } from './state.js'
import {
  classify,
  credentialScope,
  faultError,
  isAuditedService,
  MOTO_ACCOUNT_HEADER,
  type RequestInfo,
  type Service,
  type WireError,
} from './wire.js'

export type FaultKindOption = 'throttle' | 'access-denied' | 'server-error' | 'latency'

/** A fault rule. Rules are checked in order; the first error rule that fires answers the call. */
export interface Fault {
  kind: FaultKindOption
  /** Operation name (`DescribeUserPool`) or `*` (default). */
  operation?: string
  /** `cognito-idp`, `cloudwatch`, `cloudtrail`, `servicequotas` or `sts`; default any. */
  service?: Exclude<Service, 'other'>
  region?: string
  /** Chance that a matching call is hit, 0–1 (default 1). */
  probability?: number
  /** Hit at most this many calls, then the rule is spent (default unlimited). */
  count?: number
  /** For `latency`: milliseconds added before the call is answered. */
  latencyMs?: number
  /** For `server-error`: HTTP status (default 500). */
  status?: number
}

export interface CallRecord {
  /** ISO time the call arrived. */
  time: string
  service: Service
  region: string
  operation: string
  status: number
  latencyMs: number
  /** The account a 12-digit access key named; absent: moto's default account. */
  account?: string
  /** Set when the proxy answered with an injected fault or quota throttle. */
  fault?: 'throttle' | 'access-denied' | 'server-error' | 'quota'
}

/** Requests per second per account and region (AWS defaults), by operation. */
export const DEFAULT_RATE_QUOTAS: Readonly<Record<string, { category: string; rate: number }>> = {
  'cognito-idp:ListUserPools': { category: 'UserPoolRead', rate: 15 },
  'cognito-idp:DescribeUserPool': { category: 'UserPoolRead', rate: 15 },
  'cognito-idp:DescribeRiskConfiguration': { category: 'UserPoolRead', rate: 15 },
  'cognito-idp:ListUserPoolClients': { category: 'UserPoolClientRead', rate: 15 },
  'cognito-idp:DescribeUserPoolClient': { category: 'UserPoolClientRead', rate: 15 },
  'cloudwatch:DescribeAlarms': { category: 'DescribeAlarms', rate: 9 },
  'cloudwatch:DescribeAlarmsForMetric': { category: 'DescribeAlarmsForMetric', rate: 9 },
  'cloudwatch:ListMetrics': { category: 'ListMetrics', rate: 25 },
  'cloudwatch:GetMetricData': { category: 'GetMetricData', rate: 50 },
  'cloudtrail:DescribeTrails': { category: 'DescribeTrails', rate: 10 },
  'cloudtrail:ListTrails': { category: 'ListTrails', rate: 10 },
  'cloudtrail:GetTrailStatus': { category: 'GetTrailStatus', rate: 10 },
  'cloudtrail:GetEventSelectors': { category: 'GetEventSelectors', rate: 10 },
  'cloudtrail:GetTrail': { category: 'GetTrail', rate: 10 },
  'cloudtrail:LookupEvents': { category: 'LookupEvents', rate: 2 },
}

export interface ProxyOptions {
  /** moto's endpoint, `http://127.0.0.1:<port>`. */
  motoEndpoint: string
  /** Random source for fault probabilities (tests can make it deterministic). */
  random?: () => number
}

interface Bucket {
  tokens: number
  last: number
}

export class SandboxProxy {
  /** The state of moto's default account; other accounts (12-digit access keys) each have their own. */
  readonly state = new ProxyState()
  private readonly accountStates = new Map<string, ProxyState>()
  private server?: Server
  private faults: (Fault & { remaining?: number })[] = []
  private log: CallRecord[] = []
  private quotas: Record<string, { category: string; rate: number }> | undefined
  private buckets = new Map<string, Bucket>()
  private readonly random: () => number
  private readonly moto: URL
  port = 0

  constructor(options: ProxyOptions) {
    this.random = options.random ?? Math.random
    this.moto = new URL(options.motoEndpoint)
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' })
          res.end(`sandbox proxy error: ${(err as Error).message}`)
        } else res.destroy()
      })
    })
    server.keepAliveTimeout = 5000
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    server.unref()
    const address = server.address()
    this.port = typeof address === 'object' && address ? address.port : 0
    this.server = server
    return this
  }

  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = undefined
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  }

  // ---- controls (also reachable over HTTP, see control()) ----

  setFaults(faults: Fault[]): void {
    this.faults = faults.map((f) => ({ ...f, remaining: f.count }))
  }

  addFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.count })
  }

  clearFaults(): void {
    this.faults = []
  }

  /** Enforce AWS's default rate quotas (true), custom rates per `service:Operation`, or none (false). */
  setQuotas(quotas: boolean | Record<string, { category: string; rate: number }>): void {
    this.quotas = quotas === true ? { ...DEFAULT_RATE_QUOTAS } : quotas === false ? undefined : quotas
    this.buckets.clear()
  }

  seedState(seed: StateSeed, account?: string): void {
    this.stateOf(account).apply(seed)
  }

  /** The proxy's state of an account (events, composite alarms, risk configurations, …). */
  stateOf(account: string | undefined): ProxyState {
    if (account === undefined) return this.state
    let s = this.accountStates.get(account)
    if (!s) {
      s = new ProxyState()
      this.accountStates.set(account, s)
    }
    return s
  }

  calls(): CallRecord[] {
    return [...this.log]
  }

  /** Number of calls by `service:Operation`. */
  callCounts(): Record<string, number> {
    const counts: Record<string, number> = {}
    for (const c of this.log) counts[`${c.service}:${c.operation}`] = (counts[`${c.service}:${c.operation}`] ?? 0) + 1
    return counts
  }

  clearCalls(): void {
    this.log = []
  }

  /** Forgets faults, quotas, calls and the proxy's own state (moto is reset separately). */
  reset(): void {
    this.clearFaults()
    this.setQuotas(false)
    this.clearCalls()
    this.state.clear()
    this.accountStates.clear()
  }

  // ---- request handling ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/'
    if (url.startsWith('/__sandbox/')) return this.control(req, res, url)
    const started = performance.now()
    const time = new Date().toISOString()

    if (!isAuditedService(req.headers)) {
      // Anything else (S3 for trail buckets, moto's own API): streamed through untouched.
      const status = await this.stream(req, res)
      const info = classify(req.headers, undefined)
      this.record({ time, ...pick(info), status, latencyMs: performance.now() - started })
      return
    }

    let body = await readBody(req)
    if (/gzip/i.test(String(req.headers['content-encoding'] ?? ''))) {
      // The SDK gzips large PutMetricData bodies; moto 5.2.1 fails to read them (BadGzipFile), so inflate here.
      body = gunzipSync(body)
      delete req.headers['content-encoding']
    }
    const info = classify(req.headers, body)
    const state = this.stateOf(info.account)
    const send = (answer: WireError, fault?: CallRecord['fault']) => {
      res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) })
      res.end(answer.body)
      this.record({ time, ...pick(info), status: answer.status, latencyMs: performance.now() - started, fault })
    }

    const fault = await this.applyFaults(info)
    if (fault) return send(faultError(info, fault.kind, fault.status), fault.kind)
    if (!this.takeToken(info)) return send(faultError(info, 'throttle'), 'quota')

    let json: unknown
    if (info.protocol === 'json') {
      try {
        json = body.length ? JSON.parse(body.toString('utf8')) : {}
      } catch {
        json = {}
      }
      if (info.service === 'servicequotas') return send(answerServiceQuotas(info, json, state))
      const local = await answerLocally(info, json, state, this.motoCall)
      if (local) return send(local)
    }

    const answer = await this.forward(req.method ?? 'POST', url, withAccount(req.headers, info.account), body)
    if (answer.status === 200 && info.protocol === 'json') {
      const corrected = correctAnswer(info, json, answer.json, state)
      if (corrected !== undefined) {
        return send({ status: 200, headers: answer.headers, body: JSON.stringify(corrected) })
      }
    }
    send({ status: answer.status, headers: answer.headers, body: answer.raw.toString('utf8') })
  }

  private record(call: CallRecord): void {
    this.log.push({ ...call, latencyMs: Math.round(call.latencyMs * 10) / 10 })
  }

  /** Runs latency faults and returns the first error fault that fires. */
  private async applyFaults(
    info: RequestInfo,
  ): Promise<(Fault & { kind: Exclude<FaultKindOption, 'latency'> }) | undefined> {
    let delay = 0
    let hit: (Fault & { kind: Exclude<FaultKindOption, 'latency'> }) | undefined
    for (const f of this.faults) {
      if (f.service && f.service !== info.service) continue
      if (f.region && f.region !== info.region) continue
      if (f.operation && f.operation !== '*' && f.operation !== info.operation) continue
      if (f.remaining !== undefined && f.remaining <= 0) continue
      if (f.kind !== 'latency' && hit) continue
      if (this.random() >= (f.probability ?? 1)) continue
      if (f.remaining !== undefined) f.remaining--
      if (f.kind === 'latency') delay += f.latencyMs ?? 0
      else hit = f as Fault & { kind: Exclude<FaultKindOption, 'latency'> }
    }
    if (delay > 0) await new Promise((r) => setTimeout(r, delay))
    return hit
  }

  private takeToken(info: RequestInfo): boolean {
    const quota = this.quotas?.[`${info.service}:${info.operation}`]
    if (!quota) return true
    // Quotas are per account and region: each sandbox account has its own buckets.
    const key = `${info.account ? `${info.account}/` : ''}${info.region}/${info.service}:${quota.category}`
    const now = performance.now()
    const bucket = this.buckets.get(key) ?? { tokens: quota.rate, last: now }
    bucket.tokens = Math.min(quota.rate, bucket.tokens + ((now - bucket.last) / 1000) * quota.rate)
    bucket.last = now
    this.buckets.set(key, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  private stream(req: IncomingMessage, res: ServerResponse): Promise<number> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: this.moto.hostname,
          port: this.moto.port,
          method: req.method,
          path: req.url,
          headers: withAccount(req.headers, credentialScope(req.headers).account),
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers)
          up.pipe(res)
          up.on('end', () => resolve(up.statusCode ?? 502))
          up.on('error', reject)
        },
      )
      upstream.on('error', reject)
      req.pipe(upstream)
    })
  }

  private forward(
    method: string,
    path: string,
    headers: IncomingMessage['headers'],
    body: Buffer,
  ): Promise<MotoAnswer> {
    return new Promise((resolve, reject) => {
      const h = { ...headers, 'content-length': String(body.length) }
      delete h['transfer-encoding']
      const upstream = httpRequest(
        { host: this.moto.hostname, port: this.moto.port, method, path, headers: h },
        (up) => {
          const chunks: Buffer[] = []
          up.on('data', (c: Buffer) => chunks.push(c))
          up.on('error', reject)
          up.on('end', () => {
            const raw = Buffer.concat(chunks)
            const out: Record<string, string> = {}
            for (const [k, v] of Object.entries(up.headers)) {
              if (v === undefined || k === 'content-length' || k === 'transfer-encoding' || k === 'connection') continue
              out[k] = Array.isArray(v) ? v.join(', ') : v
            }
            let json: unknown
            if (/json/.test(out['content-type'] ?? '') || raw[0] === 0x7b) {
              try {
                json = JSON.parse(raw.toString('utf8'))
              } catch {
                json = undefined
              }
            }
            resolve({ status: up.statusCode ?? 502, headers: out, raw, json })
          })
        },
      )
      upstream.on('error', reject)
      upstream.end(body)
    })
  }

  /** A JSON call to moto made by the proxy itself (not logged, no faults). */
  private readonly motoCall: MotoCall = (info, operation, payload) => {
    const target =
      info.service === 'cognito-idp'
        ? `AWSCognitoIdentityProviderService.${operation}`
        : info.service === 'cloudwatch'
          ? `GraniteServiceVersion20100801.${operation}`
          : `CloudTrail_20131101.${operation}`
    const contentType = info.service === 'cloudwatch' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1'
    const signing = info.service === 'cloudwatch' ? 'monitoring' : info.service
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-amz-target': target,
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20240101/${info.region}/${signing}/aws4_request, SignedHeaders=host, Signature=0`,
      host: this.moto.host,
    }
    if (info.service === 'cloudwatch') headers['x-amzn-query-mode'] = 'true'
    if (info.account) headers[MOTO_ACCOUNT_HEADER] = info.account
    return this.forward('POST', '/', headers, Buffer.from(JSON.stringify(payload)))
  }

  // ---- control API ----

  private async control(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const path = url.replace(/\?.*$/, '')
    const method = req.method ?? 'GET'
    const body = await readBody(req)
    // biome-ignore lint/suspicious/noExplicitAny: control payloads are validated loosely
    let payload: any
    try {
      payload = body.length ? JSON.parse(body.toString('utf8')) : undefined
    } catch {
      return reply(res, 400, { error: 'body must be JSON' })
    }
    const route = `${method} ${path}`
    switch (route) {
      case 'GET /__sandbox/health':
        return reply(res, 200, { ok: true })
      case 'GET /__sandbox/calls':
        return reply(res, 200, { calls: this.calls(), counts: this.callCounts() })
      case 'DELETE /__sandbox/calls':
        this.clearCalls()
        return reply(res, 200, { ok: true })
      case 'GET /__sandbox/faults':
        return reply(res, 200, { faults: this.faults })
      case 'PUT /__sandbox/faults':
        if (!Array.isArray(payload)) return reply(res, 400, { error: 'PUT faults takes a JSON array of faults' })
        this.setFaults(payload)
        return reply(res, 200, { ok: true })
      case 'POST /__sandbox/faults':
        if (!payload || typeof payload.kind !== 'string') return reply(res, 400, { error: 'a fault needs a kind' })
        this.addFault(payload)
        return reply(res, 200, { ok: true })
      case 'DELETE /__sandbox/faults':
        this.clearFaults()
        return reply(res, 200, { ok: true })
      case 'PUT /__sandbox/quotas':
        this.setQuotas(payload?.enabled === false ? false : (payload?.rates ?? true))
        return reply(res, 200, { ok: true })
      case 'GET /__sandbox/state':
        return reply(res, 200, this.state.toJSON())
      case 'POST /__sandbox/state':
        this.seedState(payload ?? {})
        return reply(res, 200, { ok: true })
      case 'POST /__sandbox/reset': {
        this.reset()
        const r = await fetch(new URL('/moto-api/reset', this.moto), { method: 'POST' })
        await r.arrayBuffer()
        return reply(res, 200, { ok: true })
      }
      default:
        return reply(res, 404, {
          error: `unknown control route ${route}`,
          routes: [
            'GET health',
            'GET|DELETE calls',
            'GET|PUT|POST|DELETE faults',
            'PUT quotas',
            'GET|POST state',
            'POST reset',
          ].map((r) => r.replace(' ', ' /__sandbox/')),
        })
    }
  }
}

function pick(info: RequestInfo) {
  return {
    service: info.service,
    region: info.region,
    operation: info.operation,
    ...(info.account ? { account: info.account } : {}),
  }
}

/** The request's headers, with the account moto should serve when the access key named one. */
function withAccount(headers: IncomingMessage['headers'], account: string | undefined): IncomingMessage['headers'] {
  return account ? { ...headers, [MOTO_ACCOUNT_HEADER]: account } : headers
}

function reply(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export async function startProxy(options: ProxyOptions): Promise<SandboxProxy> {
  return new SandboxProxy(options).start()
}
