/** What every collector receives: shared clients, the clock, and a logger. */
import type { AwsClients } from './clients.js'

export interface Logger {
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
}

export interface CollectContext {
  clients: AwsClients
  /** The audit's reference time; activity windows end here. */
  now: Date
  log: Logger
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} }
