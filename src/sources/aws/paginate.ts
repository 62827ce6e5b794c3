/**
 * NextToken paging with an end. A service that hands back a token it already gave (the same one again,
 * or a cycle) would make a listing go on for ever; the SDK paginators' `stopOnSameToken` stops on the
 * same token silently, which would make a truncated listing look complete (a false pass). Here both a
 * repeated token and a generous page cap throw a `PagingError` naming the operation, which the
 * collectors record like any other failed call, so what depends on the listing is reported as not
 * verified.
 */
import { REPEATED_NEXT_TOKEN, TOO_MANY_PAGES } from '../../model/aws-error.js'

/** Far more pages than any real account needs (10,000 pages of 100 alarms is a million alarms). */
export const MAX_PAGES = 10_000

export type PagingFault = typeof REPEATED_NEXT_TOKEN | typeof TOO_MANY_PAGES

export class PagingError extends Error {
  override readonly name: PagingFault
  constructor(
    readonly operation: string,
    fault: PagingFault,
    pages: number,
  ) {
    super(
      fault === REPEATED_NEXT_TOKEN
        ? `${operation} returned a NextToken it had already returned (after page ${pages}); the listing was stopped, so it is incomplete.`
        : `${operation} had still more pages after ${pages}; the listing was stopped, so it is incomplete.`,
    )
    this.name = fault
  }
}

/**
 * Every page of `operation`: `fetch(token)` reads one page (no token for the first). Throws the error
 * `fetch` throws, or a `PagingError` when a token repeats or more than `maxPages` pages would be read.
 */
export async function* paginate<P extends { NextToken?: string }>(
  operation: string,
  fetch: (nextToken: string | undefined) => Promise<P>,
  maxPages = MAX_PAGES,
): AsyncGenerator<P> {
  const seen = new Set<string>()
  let token: string | undefined
  let pages = 0
  do {
    if (pages >= maxPages) throw new PagingError(operation, TOO_MANY_PAGES, pages)
    const page = await fetch(token)
    pages++
    yield page
    token = page.NextToken || undefined
    if (token !== undefined) {
      if (seen.has(token)) throw new PagingError(operation, REPEATED_NEXT_TOKEN, pages)
      seen.add(token)
    }
  } while (token !== undefined)
}

/** Like `paginate`, for one token at a time: `check(token)` throws when a loop must not go on. */
export function tokenGuard(operation: string, maxPages = MAX_PAGES): (nextToken: string | undefined) => void {
  const seen = new Set<string>()
  let pages = 0
  return (nextToken) => {
    pages++
    if (!nextToken) return
    if (seen.has(nextToken)) throw new PagingError(operation, REPEATED_NEXT_TOKEN, pages)
    seen.add(nextToken)
    if (pages >= maxPages) throw new PagingError(operation, TOO_MANY_PAGES, pages)
  }
}
