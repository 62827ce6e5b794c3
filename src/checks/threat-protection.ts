/** Check `threat-protection` (issue 2). */
import type { Check } from '../model/finding.js'

export const threatProtection: Check = {
  id: 'threat-protection',
  title: 'Threat protection is on',
  requirement: 'threat-protection',
  severity: 'high',
  run: () => [],
}
