/**
 * A local fake of the few GitHub REST endpoints the action uses, on 127.0.0.1 (never the network):
 * issues and their comments, the token's own login (GraphQL `viewer`), the repository, workflow runs,
 * run artifacts, and an artifact's zip (a 302 to a blob URL on the same server, as GitHub does).
 * Tests drive it through the real Octokit client (`getOctokit` with `baseUrl`) and `@actions/artifact`.
 *
 * State is plain data the test can read and seed; `fail` makes a route answer with an HTTP error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { crc32 } from 'node:zlib'

export interface FakeUser {
  login: string
  type?: 'User' | 'Bot'
}

export interface FakeIssue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  state_reason?: string | null
  labels: string[]
  user: FakeUser
  pull_request?: object
}

export interface FakeComment {
  id: number
  issue: number
  body: string
  user: FakeUser
}

export interface FakeRun {
  id: number
  workflow_id: number
  head_branch: string
  event?: string
  status: 'completed' | 'in_progress' | 'queued'
  conclusion: 'success' | 'failure' | 'cancelled' | null
  created_at: string
}

export interface FakeArtifact {
  id: number
  run_id: number
  name: string
  created_at: string
  expired?: boolean
  /** The files inside the zip. */
  files: Record<string, string>
}

export interface FakeRequest {
  method: string
  path: string
  query: Record<string, string>
  body?: unknown
  authorization?: string
}

export interface FakeGitHub {
  url: string
  owner: string
  repo: string
  /** Tokens this fake accepts, mapped to their user; any other token gets 401. */
  tokens: Map<string, FakeUser>
  defaultBranch: string
  issues: FakeIssue[]
  comments: FakeComment[]
  runs: FakeRun[]
  artifacts: FakeArtifact[]
  requests: FakeRequest[]
  /** Route (`METHOD /path` with `:n` for numbers, e.g. `POST /repos/o/r/issues`) → HTTP status to answer. */
  fail: Map<string, number>
  /** Writes only (POST/PATCH/PUT/DELETE), as `METHOD /path`. */
  writes(): string[]
  close(): Promise<void>
}

/** A zip archive with the given files, stored (no compression): enough for any unzip client. */
export function zipOf(files: Record<string, string>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8')
    const nameBuf = Buffer.from(name, 'utf8')
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed
    local.writeUInt16LE(0x0800, 6) // UTF-8 names
    local.writeUInt16LE(0, 8) // stored
    local.writeUInt32LE(0, 10) // time, date
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBuf.length, 26)
    local.writeUInt16LE(0, 28)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(0, 10)
    central.writeUInt32LE(0, 12)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBuf.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBuf, data)
    centrals.push(central, nameBuf)
    offset += local.length + nameBuf.length + data.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(files).length, 8)
  end.writeUInt16LE(Object.keys(files).length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      if (!text) return resolve(undefined)
      try {
        resolve(JSON.parse(text))
      } catch {
        resolve(text)
      }
    })
    req.on('error', reject)
  })
}

export async function startFakeGitHub(
  opts: { owner?: string; repo?: string; tokens?: Record<string, FakeUser> } = {},
): Promise<FakeGitHub> {
  const owner = opts.owner ?? 'acme'
  const repo = opts.repo ?? 'infra'
  const state = {
    tokens: new Map(Object.entries(opts.tokens ?? { 'test-token': { login: 'github-actions[bot]', type: 'Bot' } })),
    defaultBranch: 'main',
    issues: [] as FakeIssue[],
    comments: [] as FakeComment[],
    runs: [] as FakeRun[],
    artifacts: [] as FakeArtifact[],
    requests: [] as FakeRequest[],
    fail: new Map<string, number>(),
  }
  let nextComment = 1000
  let url = ''

  const issueJson = (i: FakeIssue) => ({
    id: i.number + 500_000,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.state_reason ?? null,
    labels: i.labels.map((name) => ({ name })),
    user: { login: i.user.login, type: i.user.type ?? 'User' },
    html_url: `https://github.example/${owner}/${repo}/issues/${i.number}`,
    ...(i.pull_request ? { pull_request: i.pull_request } : {}),
  })
  const commentJson = (c: FakeComment) => ({
    id: c.id,
    body: c.body,
    user: { login: c.user.login, type: c.user.type ?? 'User' },
    html_url: `https://github.example/${owner}/${repo}/issues/${c.issue}#issuecomment-${c.id}`,
  })

  function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(body === undefined ? '' : JSON.stringify(body))
  }

  /** One page of `items`, with a Link header to the next page as GitHub sends it. */
  function page<T>(res: ServerResponse, path: string, query: Record<string, string>, items: T[], wrap?: string) {
    const perPage = Math.min(Number(query.per_page ?? 30), 100)
    const p = Number(query.page ?? 1)
    const slice = items.slice((p - 1) * perPage, p * perPage)
    const headers: Record<string, string> = {}
    if (p * perPage < items.length) {
      const next = new URLSearchParams({ ...query, page: String(p + 1) })
      headers.link = `<${url}${path}?${next}>; rel="next"`
    }
    send(res, 200, wrap ? { total_count: items.length, [wrap]: slice } : slice, headers)
  }

  const repoPath = `/repos/${owner}/${repo}`

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url)
    const path = u.pathname
    const query = Object.fromEntries(u.searchParams)
    const method = req.method ?? 'GET'
    const body = await readBody(req)
    const authorization = req.headers.authorization
    state.requests.push({
      method,
      path,
      query,
      ...(body !== undefined ? { body } : {}),
      ...(authorization ? { authorization } : {}),
    })

    // The blob store behind an artifact download: no GitHub token, a signed URL.
    const blob = /^\/blob\/(\d+)\.zip$/.exec(path)
    if (blob && method === 'GET') {
      const a = state.artifacts.find((x) => x.id === Number(blob[1]))
      if (!a) return send(res, 404, { message: 'BlobNotFound' })
      const zip = zipOf(a.files)
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(zip.length) })
      res.end(zip)
      return
    }

    const route = `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/:n')}`
    const failing = state.fail.get(route)
    if (failing) {
      return send(res, failing, {
        message: failing === 403 ? 'Resource not accessible by integration' : 'Fake failure',
        documentation_url: 'https://docs.github.com/rest',
        status: String(failing),
      })
    }
    const token = authorization?.replace(/^(token|bearer) /i, '')
    const me = token ? state.tokens.get(token) : undefined
    if (!me) return send(res, 401, { message: 'Bad credentials', status: '401' })

    if (method === 'POST' && path === '/graphql') {
      const q = (body as { query?: string } | undefined)?.query ?? ''
      if (/viewer\s*\{\s*login/.test(q)) {
        // GraphQL names an app's bot without the [bot] suffix, as GitHub does.
        return send(res, 200, { data: { viewer: { login: me.login.replace(/\[bot\]$/, '') } } })
      }
      return send(res, 200, { errors: [{ message: 'Unsupported query in the fake' }] })
    }
    if (method === 'GET' && path === '/user') {
      if (me.type === 'Bot') return send(res, 403, { message: 'Resource not accessible by integration' })
      return send(res, 200, { login: me.login, type: 'User' })
    }
    if (!path.startsWith(repoPath)) return send(res, 404, { message: 'Not Found' })
    const rest = path.slice(repoPath.length)

    if (method === 'GET' && rest === '') {
      return send(res, 200, { name: repo, full_name: `${owner}/${repo}`, default_branch: state.defaultBranch })
    }

    // Issues
    if (rest === '/issues' && method === 'GET') {
      const want = (query.labels ?? '').split(',').filter(Boolean)
      const st = query.state ?? 'open'
      const items = state.issues
        .filter((i) => st === 'all' || i.state === st)
        .filter((i) => want.every((l) => i.labels.includes(l)))
        .filter((i) => !query.creator || i.user.login === query.creator)
        .sort((a, b) => b.number - a.number)
        .map(issueJson)
      return page(res, path, query, items)
    }
    if (rest === '/issues' && method === 'POST') {
      const b = body as { title: string; body?: string; labels?: string[] }
      const issue: FakeIssue = {
        number: Math.max(0, ...state.issues.map((i) => i.number)) + 1,
        title: b.title,
        body: b.body ?? '',
        state: 'open',
        labels: b.labels ?? [],
        user: me,
      }
      state.issues.push(issue)
      return send(res, 201, issueJson(issue))
    }
    const issueMatch = /^\/issues\/(\d+)(\/comments)?$/.exec(rest)
    if (issueMatch) {
      const issue = state.issues.find((i) => i.number === Number(issueMatch[1]))
      if (!issue) return send(res, 404, { message: 'Not Found' })
      if (!issueMatch[2] && method === 'GET') return send(res, 200, issueJson(issue))
      if (!issueMatch[2] && method === 'PATCH') {
        const b = body as Partial<FakeIssue>
        if (b.title !== undefined) issue.title = b.title
        if (b.body !== undefined) issue.body = b.body
        if (b.state !== undefined) issue.state = b.state
        if (b.state_reason !== undefined) issue.state_reason = b.state_reason
        return send(res, 200, issueJson(issue))
      }
      if (issueMatch[2] && method === 'GET') {
        return page(res, path, query, state.comments.filter((c) => c.issue === issue.number).map(commentJson))
      }
      if (issueMatch[2] && method === 'POST') {
        const c: FakeComment = {
          id: nextComment++,
          issue: issue.number,
          body: (body as { body: string }).body,
          user: me,
        }
        state.comments.push(c)
        return send(res, 201, commentJson(c))
      }
    }

    // Actions: runs and artifacts
    const run = /^\/actions\/runs\/(\d+)$/.exec(rest)
    if (run && method === 'GET') {
      const r = state.runs.find((x) => x.id === Number(run[1]))
      return r ? send(res, 200, r) : send(res, 404, { message: 'Not Found' })
    }
    const wfRuns = /^\/actions\/workflows\/([^/]+)\/runs$/.exec(rest)
    if (wfRuns && method === 'GET') {
      const items = state.runs
        .filter((r) => String(r.workflow_id) === wfRuns[1])
        .filter((r) => !query.branch || r.head_branch === query.branch)
        .filter((r) => !query.event || r.event === query.event)
        .filter((r) => !query.status || r.status === query.status || r.conclusion === query.status)
        .sort((a, b) => b.created_at.localeCompare(a.created_at))
      return page(res, path, query, items, 'workflow_runs')
    }
    const runArtifacts = /^\/actions\/runs\/(\d+)\/artifacts$/.exec(rest)
    if (runArtifacts && method === 'GET') {
      const items = state.artifacts
        .filter((a) => a.run_id === Number(runArtifacts[1]) && (!query.name || a.name === query.name))
        .map((a) => ({
          id: a.id,
          name: a.name,
          size_in_bytes: zipOf(a.files).length,
          created_at: a.created_at,
          expired: a.expired ?? false,
          workflow_run: { id: a.run_id },
        }))
      return page(res, path, query, items, 'artifacts')
    }
    const zip = /^\/actions\/artifacts\/(\d+)\/zip$/.exec(rest)
    if (zip && method === 'GET') {
      const a = state.artifacts.find((x) => x.id === Number(zip[1]))
      if (!a) return send(res, 404, { message: 'Not Found' })
      if (a.expired) return send(res, 410, { message: 'Artifact has expired' })
      res.writeHead(302, { location: `${url}/blob/${a.id}.zip?sig=secret` })
      res.end()
      return
    }
    send(res, 404, { message: `The fake does not serve ${method} ${path}` })
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => send(res, 500, { message: String(err) }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    owner,
    repo,
    get tokens() {
      return state.tokens
    },
    get defaultBranch() {
      return state.defaultBranch
    },
    set defaultBranch(b: string) {
      state.defaultBranch = b
    },
    get issues() {
      return state.issues
    },
    set issues(v) {
      state.issues = v
    },
    get comments() {
      return state.comments
    },
    set comments(v) {
      state.comments = v
    },
    get runs() {
      return state.runs
    },
    set runs(v) {
      state.runs = v
    },
    get artifacts() {
      return state.artifacts
    },
    set artifacts(v) {
      state.artifacts = v
    },
    get requests() {
      return state.requests
    },
    get fail() {
      return state.fail
    },
    writes: () =>
      state.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql').map((r) => `${r.method} ${r.path}`),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
