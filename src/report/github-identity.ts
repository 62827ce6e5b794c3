/**
 * Whose comment or issue is ours: the token's own identity. A hidden marker alone proves nothing,
 * since anyone can post a comment that starts with it.
 */
import type { Octokit } from './octokit.js'

/** This token's login (GraphQL `viewer`): `github-actions` for GITHUB_TOKEN, whose comments and
 *  issues GitHub shows as written by `github-actions[bot]`. */
export async function ownLogin(octokit: Octokit): Promise<string> {
  const res = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }')
  return res.viewer.login
}

/** Whether `author` (a REST `user.login`) is the token's own `viewer` login, with or without `[bot]`. */
export function sameUser(author: string | undefined | null, viewer: string): boolean {
  if (!author || !viewer) return false
  return author === viewer || author.replace(/\[bot\]$/, '') === viewer.replace(/\[bot\]$/, '')
}
