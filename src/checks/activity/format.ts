/** Deterministic number formatting shared by the activity checks and reports (no locale dependence). */

/** 1234567 → `1,234,567`. */
export function formatCount(n: number): string {
  const s = String(Math.round(n))
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** A failure rate in percent with one decimal; `–` when undefined. */
export function formatRate(rate: number | undefined): string {
  return rate === undefined ? '–' : `${rate.toFixed(1)}%`
}

/** A change in percentage points with an arrow: `↑ 2.5 pp`, `↓ 1.0 pp`, `→ 0.0 pp`; `–` when undefined. */
export function formatChange(points: number | undefined): string {
  if (points === undefined) return '–'
  const rounded = Math.round(points * 10) / 10
  if (rounded === 0) return '→ 0.0 pp'
  return `${rounded > 0 ? '↑' : '↓'} ${Math.abs(rounded).toFixed(1)} pp`
}
