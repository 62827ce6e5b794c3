/**
 * CIDR arithmetic for risk-exception IP ranges: does a list of ranges, taken
 * together, cover every IPv4 or every IPv6 address? (`0.0.0.0/0`, or a union such
 * as `0.0.0.0/1` + `128.0.0.0/1`.) Addresses are BigInts so IPv6 needs no special case.
 */

export type IpFamily = 'ipv4' | 'ipv6'

export interface CidrRange {
  family: IpFamily
  /** First and last address, inclusive. */
  start: bigint
  end: bigint
}

const BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 }

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  let value = 0n
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined
    const n = Number(part)
    if (n > 255) return undefined
    value = (value << 8n) | BigInt(n)
  }
  return value
}

function parseIpv6(text: string): bigint | undefined {
  let head = text
  let tailV4: bigint | undefined
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) counts as the last two groups.
  const lastColon = text.lastIndexOf(':')
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1))
    if (tailV4 === undefined) return undefined
    head = `${text.slice(0, lastColon + 1)}0:0`
  }
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'))
  const left = groups(halves[0] as string)
  const right = halves.length === 2 ? groups(halves[1] as string) : []
  const fill = 8 - left.length - right.length
  if (halves.length === 2 ? fill < 1 : fill !== 0) return undefined
  const all = [...left, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...right]
  let value = 0n
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
    value = (value << 16n) | BigInt(`0x${g}`)
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4
  return value
}

/** Parses `a.b.c.d/n` or an IPv6 `x::y/n` (a bare address is a single-address range); undefined when invalid. */
export function parseCidr(text: string): CidrRange | undefined {
  const [addr, prefixText, ...rest] = text.trim().split('/')
  if (addr === undefined || rest.length > 0) return undefined
  const family: IpFamily = addr.includes(':') ? 'ipv6' : 'ipv4'
  const bits = BITS[family]
  const value = family === 'ipv4' ? parseIpv4(addr) : parseIpv6(addr)
  if (value === undefined) return undefined
  let prefix = bits
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return undefined
    prefix = Number(prefixText)
    if (prefix > bits) return undefined
  }
  const hostBits = BigInt(bits - prefix)
  const size = 1n << hostBits
  // Host bits set below the prefix (`10.0.0.1/8`) are ignored, as AWS and most tools do.
  const start = (value >> hostBits) << hostBits
  return { family, start, end: start + size - 1n }
}

/** The families whose whole address space the union of `cidrs` covers. Invalid entries are ignored. */
export function coveredFamilies(cidrs: readonly string[]): IpFamily[] {
  const out: IpFamily[] = []
  for (const family of ['ipv4', 'ipv6'] as const) {
    const ranges = cidrs
      .map(parseCidr)
      .filter((r): r is CidrRange => r !== undefined && r.family === family)
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
    const max = (1n << BigInt(BITS[family])) - 1n
    // Sweep: `next` is the first address not yet covered.
    let next = 0n
    for (const r of ranges) {
      if (r.start > next) break
      if (r.end + 1n > next) next = r.end + 1n
    }
    if (next > max) out.push(family)
  }
  return out
}
