import * as core from '@actions/core'
import { createClients } from './collect/clients.js'
const c = createClients()
core.info(`ok ${typeof c.cognito('us-east-1').send}`)
