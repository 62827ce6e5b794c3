/** Checks for required CloudWatch alarms (issue 3). */
import type { Check } from '../model/finding.js'

export const alarmChecks: Check[] = []
