/** The action's version; a unit test keeps it equal to package.json. */
export const VERSION = '0.1.0'
export const TOOL_NAME = 'cognito-compliance-action'
