import { describe, expect, it } from 'vitest'
import { coveredFamilies, parseCidr } from '../../../../src/checks/threat-protection/cidr.js'

describe('parseCidr', () => {
  it('parses IPv4 ranges to first and last address', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ family: 'ipv4', start: 0x0a000000n, end: 0x0affffffn })
    expect(parseCidr('0.0.0.0/0')).toEqual({ family: 'ipv4', start: 0n, end: 0xffffffffn })
    expect(parseCidr('192.168.1.7')).toEqual({ family: 'ipv4', start: 0xc0a80107n, end: 0xc0a80107n })
  })

  it('ignores host bits below the prefix', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 'ipv4', start: 0x0a000000n, end: 0x0affffffn })
  })

  it('parses IPv6 with ::, full form and an embedded IPv4 tail', () => {
    const max = (1n << 128n) - 1n
    expect(parseCidr('::/0')).toEqual({ family: 'ipv6', start: 0n, end: max })
    expect(parseCidr('8000::/1')).toEqual({ family: 'ipv6', start: 1n << 127n, end: max })
    expect(parseCidr('2001:db8::/32')?.start).toBe(0x20010db8n << 96n)
    expect(parseCidr('2001:0db8:0000:0000:0000:0000:0000:0001/128')?.end).toBe((0x20010db8n << 96n) + 1n)
    expect(parseCidr('::ffff:10.0.0.1')?.start).toBe((0xffffn << 32n) | 0x0a000001n)
  })

  it('rejects malformed input', () => {
    for (const bad of [
      '',
      '10.0.0.0/33',
      '256.0.0.0/8',
      '10.0.0/8',
      '1.2.3.4/8/1',
      '::/129',
      '1::2::3',
      'g::/8',
      'abc',
    ]) {
      expect(parseCidr(bad), bad).toBeUndefined()
    }
  })
})

describe('coveredFamilies', () => {
  it('finds 0.0.0.0/0 and ::/0', () => {
    expect(coveredFamilies(['0.0.0.0/0'])).toEqual(['ipv4'])
    expect(coveredFamilies(['::/0'])).toEqual(['ipv6'])
    expect(coveredFamilies(['::/0', '0.0.0.0/0'])).toEqual(['ipv4', 'ipv6'])
  })

  it('finds a union of split ranges, in any order, overlapping or adjacent', () => {
    expect(coveredFamilies(['128.0.0.0/1', '0.0.0.0/1'])).toEqual(['ipv4'])
    expect(coveredFamilies(['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/1', '10.0.0.0/8'])).toEqual(['ipv4'])
    expect(coveredFamilies(['::/1', '8000::/1'])).toEqual(['ipv6'])
  })

  it('does not report a union with a gap', () => {
    expect(coveredFamilies(['0.0.0.0/1', '128.0.0.0/2', '224.0.0.0/3'])).toEqual([]) // 192.0.0.0/3 missing
    expect(coveredFamilies(['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3'])).toEqual([]) // 224.0.0.0/3 missing
    expect(coveredFamilies(['::/1', '8000::/2'])).toEqual([]) // c000::/2 missing
    expect(coveredFamilies(['0.0.0.1/32', '0.0.0.2/31'])).toEqual([]) // 0.0.0.0 missing
    expect(coveredFamilies(['10.0.0.0/8', '::1/128'])).toEqual([])
    expect(coveredFamilies([])).toEqual([])
  })

  it('notices a single missing address between ranges', () => {
    const dotted = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.')
    // 0.0.0.0/32 plus [2^k, 2^(k+1)) for k = 1..31: everything except 0.0.0.1.
    const ranges = ['0.0.0.0/32', ...Array.from({ length: 31 }, (_, i) => `${dotted(2 ** (i + 1))}/${31 - i}`)]
    expect(ranges.at(-1)).toBe('128.0.0.0/1')
    expect(coveredFamilies(ranges)).toEqual([])
    expect(coveredFamilies([...ranges, '0.0.0.1/32'])).toEqual(['ipv4'])
  })

  it('ignores invalid entries instead of counting them', () => {
    expect(coveredFamilies(['0.0.0.0/1', 'not-a-range'])).toEqual([])
  })
})
