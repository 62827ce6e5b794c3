/** What every collector receives: shared clients, the clock, and a logger. */
import type { Logger } from '../../model/logger.js'
import type { AwsClients } from './clients.js'

export interface CollectContext {
  clients: AwsClients
  /** The audit's reference time; activity windows end here. */
  now: Date
  log: Logger
}
