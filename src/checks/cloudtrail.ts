/** Check for CloudTrail capture of Cognito events (issue 4). */
import type { Check } from '../model/finding.js'

export const cloudTrailChecks: Check[] = []
