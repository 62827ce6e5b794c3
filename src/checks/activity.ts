/** Activity thresholds (issue 5). */
import type { Check } from '../model/finding.js'

export const activityChecks: Check[] = []
