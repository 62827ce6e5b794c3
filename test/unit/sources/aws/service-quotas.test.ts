/**
 * Sizing the request-rate buckets from the account's applied quotas: a local Service Quotas stand-in over
 * HTTP (moto 5.2 has no ListServiceQuotas for cognito-idp), answered through the real SDK client.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Logger } from '../../../../src/model/logger.js'
import { createClients } from '../../../../src/sources/aws/clients.js'
import { DEFAULT_QUOTAS } from '../../../../src/sources/aws/quotas.js'
import { quotaRates, sizeQuotas } from '../../../../src/sources/aws/service-quotas.js'
import { useDummyAwsEnv } from '../../../support/aws-env.js'

const quota = (resource: string, value: number, extra: Record<string, unknown> = {}) => ({
  ServiceCode: 'cognito-idp',
  QuotaCode: `L-${resource}`,
  QuotaName: `Rate of ${resource} requests`,
  Value: value,
  Unit: 'None',
  Adjustable: false,
  UsageMetric: {
    MetricNamespace: 'AWS/Usage',
    MetricName: 'CallCount',
    MetricDimensions: { Service: 'Cognito user pool', Type: 'API', Resource: resource, Class: 'None' },
  },
  Period: { PeriodValue: 1, PeriodUnit: 'SECOND' },
  ...extra,
})

/** Region → what ListServiceQuotas answers there: pages of quotas, or an HTTP status and error name. */
const answers: Record<string, { pages: object[][] } | { status: number; error: string }> = {
  // Raised UserPoolRead, lowered UserPoolClientRead; a per-pool variant and an unrelated category ignored.
  'us-east-1': {
    pages: [
      [
        quota('UserPoolRead', 40),
        quota('UserAuthentication', 500),
        quota('UserPoolClientRead', 5, { QuotaName: 'Rate of UserPoolClientRead requests per user pool' }),
      ],
      [quota('UserPoolClientRead', 6), quota('UserPoolClientRead', 3, { QuotaAppliedAtLevel: 'RESOURCE' })],
    ],
  },
  'eu-west-1': { status: 400, error: 'AccessDeniedException' },
}

let server: Server
const seen: Array<{ target: string; region: string; body: Record<string, unknown> }> = []

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = ''
    req.on('data', (c) => {
      text += c
    })
    req.on('end', () => resolve(text))
  })

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = JSON.parse((await read(req)) || '{}') as Record<string, unknown>
    const target = String(req.headers['x-amz-target'] ?? '')
    const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? ''
    seen.push({ target, region, body })
    const answer = answers[region]
    res.setHeader('content-type', 'application/x-amz-json-1.1')
    if (!answer || 'status' in answer) {
      res.statusCode = answer?.status ?? 400
      res.setHeader('x-amzn-errortype', answer?.error ?? 'NoSuchResourceException')
      res.end(JSON.stringify({ __type: answer?.error ?? 'NoSuchResourceException', message: 'denied' }))
      return
    }
    const page = Number(body.NextToken ?? 0)
    res.end(
      JSON.stringify({
        Quotas: answer.pages[page],
        ...(page + 1 < answer.pages.length ? { NextToken: String(page + 1) } : {}),
      }),
    )
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

useDummyAwsEnv()

describe('request rates sized from Service Quotas', () => {
  it('spends the share of the applied quotas, keeps the defaults where none is listed, and says why when denied', async () => {
    process.env.AWS_ENDPOINT_URL_SERVICE_QUOTAS = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      const clients = createClients({ quotaShare: 0.5, maxAttempts: 1 })
      const lines: string[] = []
      const log: Logger = {
        info: (m) => void lines.push(`info ${m}`),
        warn: (m) => void lines.push(`warn ${m}`),
        debug: (m) => void lines.push(`debug ${m}`),
      }
      await sizeQuotas(clients, ['us-east-1', 'eu-west-1'], log)
      const [us, eu] = quotaRates(clients, ['us-east-1', 'eu-west-1'])

      const of = (r: typeof us, c: string) => r!.rates.find((x) => x.category === c)
      // Raised above the default (15): faster.
      expect(of(us, 'cognito:UserPoolRead')).toEqual({
        category: 'cognito:UserPoolRead',
        quota: 40,
        source: 'applied',
        rate: 20,
      })
      // Lower than the default: slower; the per-pool and resource-level variants are not the account's bucket.
      expect(of(us, 'cognito:UserPoolClientRead')).toMatchObject({ quota: 6, source: 'applied', rate: 3 })
      // Not a Cognito category: AWS's default, at the same share.
      expect(of(us, 'cloudwatch:DescribeAlarms')).toMatchObject({
        quota: DEFAULT_QUOTAS['cloudwatch:DescribeAlarms'],
        source: 'default',
        rate: DEFAULT_QUOTAS['cloudwatch:DescribeAlarms']! / 2,
      })
      expect(us!.note).toBeUndefined()

      // Denied: the defaults, with the reason in the method section and the log.
      expect(of(eu, 'cognito:UserPoolRead')).toMatchObject({ quota: 15, source: 'default', rate: 7.5 })
      expect(eu!.note).toBe('Service Quotas not read (AccessDeniedException): AWS default quotas')
      // One notice (not a warning), naming the region and the reason; never a claim of raised quotas.
      expect(lines).toEqual([
        "info Service Quotas could not be read in eu-west-1 (AccessDeniedException): request rates use AWS's default Cognito quotas there. Allow servicequotas:ListServiceQuotas to follow the account's applied quotas.",
      ])
      expect(eu!.rates.every((r) => r.source === 'default')).toBe(true)

      // Through the real client: the JSON protocol, the cognito-idp service code, both pages, counted.
      expect(seen.map((s) => s.target)).toEqual(Array(3).fill('ServiceQuotasV20190624.ListServiceQuotas'))
      expect(seen.every((s) => s.body.ServiceCode === 'cognito-idp')).toBe(true)
      expect(clients.calls.get('servicequotas:ListServiceQuotas')).toBe(3)
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SERVICE_QUOTAS
    }
  })
})
