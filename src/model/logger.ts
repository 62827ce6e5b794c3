/** Where every stage writes progress: the action's log or the CLI's stderr. */
export interface Logger {
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} }
