#!/usr/bin/env node
// The CLI entry for `npx cognito-compliance`: runs the bundled CLI (dist/cli), which needs no install.
import '../dist/cli/index.js'
