import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { HourPoint } from '../../../src/checks/activity/stats.js'
import {
  bucketHours,
  escapeMarkdown,
  renderActivityMarkdown,
  renderActivityText,
  sparkline,
} from '../../../src/report/activity.js'
import { activityRegion } from '../../support/activity.js'
import { testPolicy } from '../../support/policy.js'
import { pool, snapshot } from '../../support/pools.js'
import { reportPolicy, reportSnapshot } from './activity-fixture.js'

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden')

/** Compares with the committed file; UPDATE_GOLDEN=1 rewrites it (review the diff before committing). */
function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name)
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true })
    writeFileSync(file, actual)
  }
  expect(existsSync(file), `${name} is missing: run with UPDATE_GOLDEN=1 to create it`).toBe(true)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

const pt = (rate: number | undefined, attempts = 10): HourPoint => ({
  hour: '2026-01-01T00:00:00.000Z',
  attempts: rate === undefined ? 0 : attempts,
  failures: rate === undefined ? 0 : (rate * attempts) / 100,
  ...(rate === undefined ? {} : { rate }),
})

describe('activity renderer helpers', () => {
  it('escapes HTML and every pipe', () => {
    expect(escapeMarkdown('a|b|c <x> & "y"')).toBe('a&#124;b&#124;c &lt;x&gt; &amp; &quot;y&quot;')
  })

  it('draws a sparkline from 0 to the maximum, with · for hours without sign-ins', () => {
    expect(sparkline([pt(0), pt(50), pt(100), pt(undefined)])).toBe('▁▅█·')
    expect(sparkline([pt(0), pt(0)])).toBe('▁▁')
  })

  it('groups long windows into at most 48 buckets with rates from summed counts', () => {
    const hours = Array.from({ length: 96 }, (_, i) => pt(i % 2 === 0 ? 0 : 100))
    const b = bucketHours(hours)
    expect(b).toHaveLength(48)
    expect(b[0]).toMatchObject({ attempts: 20, failures: 10, rate: 50 })
    expect(bucketHours(hours.slice(0, 24))).toHaveLength(24)
  })
})

describe('renderActivityMarkdown', () => {
  const md = renderActivityMarkdown(reportSnapshot(), reportPolicy())

  it('shows requests, failures, rate, change and throttles per pool, escaping the pool name', () => {
    expect(md).toContain('#### web &lt;prod&gt; &#124; users (`us-east-1_Web`, us-east-1)')
    expect(md).toContain('| Sign-in | 2,400 | 243 | 10.1% | ↑ 7.1 pp | 12 |')
    expect(md).toContain('Previous 24 h: 2,400 sign-in attempts, failure rate 3.0%.')
    expect(md).toContain('Risk detections: account takeover high 2')
    expect(md).toContain('Risk detections: threat protection is off')
  })

  it('draws one chart per region, one line per pool with sign-ins, at most 12 labels, the sparkline in the table', () => {
    const charts = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(charts).toHaveLength(1)
    const chart = charts[0]!
    expect(chart).toContain('xychart-beta')
    const labels = chart.match(/x-axis \[(.*)\]/)![1]!.split(', ')
    expect(labels.length).toBeLessThanOrEqual(12)
    // One line per pool with sign-ins; the legend names them in the palette's order.
    const legend = md.split('\n').find((l) => l.startsWith('🟦 '))!
    expect(chart.match(/^ {2}line \[/gm)).toHaveLength(legend.split(' · ').length)
    // The peak is below the top of the scale, so the line is never drawn on the frame.
    const top = Number(chart.match(/--> (\d+)/)![1])
    const peak = Math.max(...[...chart.matchAll(/line \[(.*)\]/g)].flatMap((m) => m[1]!.split(', ').map(Number)))
    expect(peak).toBeLessThan(top)
    // The sparkline stays, in the overview table (where Mermaid does not render), not under the chart.
    expect(md).toMatch(/\| `[▁▂▃▄▅▆▇█·]+` \|/)
    expect(md).not.toContain('Sign-in failure rate: `')
  })

  it('tabulates failed calls by event name and error code, and says when the window is only partly covered', () => {
    expect(md).toContain('| InitiateAuth | NotAuthorizedException | 180 |')
    expect(md).toContain('#### Not attributable to an audited pool (us-east-1)')
    expect(md).toContain('| SignUp | InvalidParameterException | 3 |')
    expect(md).toContain('covers only the events since 2026-11-21 23:10 UTC (about 4.8 h of the 24 h window)')
  })

  it('shows no subs or IP addresses unless the policy allows personal data', () => {
    expect(md).not.toContain('sub-1')
    expect(md).not.toContain('203.0.113.9')
    const withPersonal = renderActivityMarkdown(reportSnapshot(), reportPolicy(true))
    expect(withPersonal).toContain('Users (sub) with failures: 2 distinct; top: sub-1 (150), sub-2 (30)')
    expect(withPersonal).toContain('Source IP addresses with failures: 1 distinct; top: 203.0.113.9 (192)')
  })

  it('is deterministic and matches the golden file', () => {
    expect(renderActivityMarkdown(reportSnapshot(), reportPolicy())).toBe(md)
    golden('activity.md.golden', md)
  })

  it('explains a metrics error instead of showing zeros', () => {
    const p = pool({ name: 'denied' })
    const s = snapshot({ 'us-east-1': [p] })
    const act = activityRegion({
      errors: [
        {
          service: 'cloudwatch',
          action: 'ListMetrics',
          code: 'AccessDenied',
          message: 'denied',
          region: 'us-east-1',
        },
      ],
    })
    delete act.metrics
    s.regions[0]!.activity = act
    const out = renderActivityMarkdown(s, testPolicy())
    expect(out).toContain('cloudwatch:ListMetrics in us-east-1 was denied')
    expect(out).toContain('Metrics could not be read')
    expect(out).not.toContain('| Sign-in |')
  })

  it('is empty when no activity was collected', () => {
    expect(renderActivityMarkdown(snapshot({ 'us-east-1': [pool()] }), testPolicy())).toBe('')
  })
})

describe('renderActivityText', () => {
  it('prints aligned lines per pool and matches the golden file', () => {
    const text = renderActivityText(reportSnapshot(), reportPolicy())
    expect(text).toContain('  Sign-in           2,400 requests      243 failed   10.1%  ↑ 7.1 pp      12 throttled')
    expect(text).toContain('  Failed calls: InitiateAuth NotAuthorizedException ×180')
    expect(text).not.toContain('sub-1')
    golden('activity.txt.golden', text)
  })
})
