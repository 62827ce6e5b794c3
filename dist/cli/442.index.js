export const id = 442;
export const ids = [442];
export const modules = {

/***/ 48442:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   findPreviousReport: () => (/* binding */ findPreviousReport)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_artifact__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9645);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(61351);
/**
 * `baseline: previous-run`: the report of the last completed run of this workflow on the default
 * branch, downloaded from its artifact with `@actions/artifact` (public API with a token that has
 * `actions: read`; artifacts are kept 90 days by default).
 *
 * A run counts when it completed with `success` or `failure`: a gate that fails on violations still
 * writes its report (the example workflow uploads it with `if: always()`), and skipping red runs
 * would compare a failing account with a months-old green run. Cancelled and skipped runs, and runs
 * without the artifact, are passed over; at most `maxRuns` runs are looked at.
 *
 * No previous report is `{ status: 'none' }` with the reason (a notice for the caller). A GitHub
 * error (403 without `actions: read`, 404) is thrown with its HTTP status for the caller to turn
 * into a warning; the audit runs on without a baseline either way.
 */




const REPORT_FILE = 'report.json';
/** report.json at the artifact's root, or one folder down (an upload of the output directory's parent). */
async function findReport(dir) {
    const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === REPORT_FILE))
        return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, REPORT_FILE);
    for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
        const inner = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, e.name), { withFileTypes: true });
        if (inner.some((x) => x.isFile() && x.name === REPORT_FILE))
            return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, e.name, REPORT_FILE);
    }
    return undefined;
}
async function findPreviousReport(q) {
    const baseUrl = q.apiUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com';
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_3__/* .getOctokit */ .Q)(q.token, { baseUrl });
    const repo = { owner: q.owner, repo: q.repo };
    const { data: current } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: q.runId });
    const branch = q.branch ?? (await octokit.rest.repos.get(repo)).data.default_branch;
    const maxRuns = q.maxRuns ?? 10;
    const { data: runs } = await octokit.rest.actions.listWorkflowRuns({
        ...repo,
        workflow_id: current.workflow_id,
        branch,
        status: 'completed',
        exclude_pull_requests: true,
        per_page: Math.min(100, maxRuns * 2),
    });
    const candidates = runs.workflow_runs
        .filter((r) => r.id !== q.runId && (r.conclusion === 'success' || r.conclusion === 'failure'))
        .sort((a, b) => b.created_at.localeCompare(a.created_at))
        .slice(0, maxRuns);
    if (candidates.length === 0) {
        return { status: 'none', reason: `no earlier completed run of this workflow on ${branch}` };
    }
    const artifacts = new _actions_artifact__WEBPACK_IMPORTED_MODULE_2__/* .DefaultArtifactClient */ .t9();
    for (const run of candidates) {
        const findBy = { token: q.token, workflowRunId: run.id, repositoryOwner: q.owner, repositoryName: q.repo };
        const { artifacts: list } = await artifacts.listArtifacts({ latest: true, findBy });
        const artifact = list.find((a) => a.name === q.artifactName);
        if (!artifact)
            continue;
        const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(q.downloadDir, String(run.id));
        try {
            await artifacts.downloadArtifact(artifact.id, { path: dir, findBy });
        }
        catch (err) {
            // 410: past its retention; older runs' artifacts are older still.
            if (err.status === 410) {
                return {
                    status: 'none',
                    reason: `the report artifact of run ${run.id} has expired (artifacts are kept 90 days by default)`,
                };
            }
            throw err;
        }
        const file = await findReport(dir);
        if (!file)
            continue;
        return {
            status: 'found',
            text: await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(file, 'utf8'),
            source: `artifact "${q.artifactName}" of run ${run.id} (${run.created_at})`,
            runId: run.id,
            runCreatedAt: run.created_at,
            artifactId: artifact.id,
        };
    }
    return {
        status: 'none',
        reason: `no artifact "${q.artifactName}" with a ${REPORT_FILE} in the last ${candidates.length} completed run${candidates.length === 1 ? '' : 's'} of this workflow on ${branch}`,
    };
}


/***/ })

};
