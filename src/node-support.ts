/**
 * Which Node.js versions the CLI supports, said once in our own words.
 *
 * The action runs on the runner's `node24`. The CLI runs on whatever Node.js the user has. Node.js 20
 * reached its end of life on 30 April 2026, a bundled dependency already declares `node >= 22`, and the
 * AWS SDK for JavaScript warns on Node.js < 22 with a 7-line notice about its own future releases. Those
 * releases are not the user's concern: the bundle pins its SDK. So on an older Node.js we print one line
 * that tells the user what to do, and switch the SDK's notice off through the variable the SDK documents
 * for that (`AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED`). We do not patch the SDK. Whoever sets
 * that variable to `true` has said they know: then neither notice is printed.
 */

/** The oldest Node.js major the project supports (`engines` in package.json says the same). */
export const MIN_NODE_MAJOR = 22

/** The one-line notice for `version` (`process.version`), or undefined on a supported Node.js. */
export function nodeSupportNotice(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1])
  if (!Number.isFinite(major) || major >= MIN_NODE_MAJOR) return undefined
  return (
    `cognito-compliance: Node.js ${version} is not supported (it is past its end of life); ` +
    `use Node.js ${MIN_NODE_MAJOR} or 24. This run goes on.`
  )
}

/**
 * On an unsupported Node.js: writes the notice to `stderr` once and turns the SDK's longer notice off.
 * Nothing when the SDK's variable is already `true`. Returns whether it wrote the notice.
 */
export function sayNodeSupport(
  version: string,
  env: Record<string, string | undefined>,
  stderr: (text: string) => void,
): boolean {
  const notice = nodeSupportNotice(version)
  if (!notice || env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === 'true') return false
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
  stderr(`${notice}\n`)
  return true
}
