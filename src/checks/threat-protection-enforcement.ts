/** Check `threat-protection-enforcement` (issue 2). */
import type { Check } from '../model/finding.js'

export const threatProtectionEnforcement: Check = {
  id: 'threat-protection-enforcement',
  title: 'ENFORCED threat protection really blocks',
  requirement: 'threat-protection',
  severity: 'high',
  run: () => [],
}
