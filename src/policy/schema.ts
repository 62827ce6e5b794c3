/**
 * The policy file's JSON Schema (draft 2020-12): the fixed top-level keys plus each section's
 * fragment under its key. It validates policy files (src/policy/load.ts) and is published as
 * schema/policy.schema.json (`npm run schema`) so editors complete and check policy files.
 */
import { REGISTRY, REQUIREMENTS, type RequirementOptions, type SectionDescriptors } from '../checks/index.js'
import { POOL_ID_PATTERN } from '../model/match.js'
import type { JsonSchema, PolicySection } from '../model/policy-section.js'
import { REGION_NAMES } from './regions.js'

/** The policy sections, by their field in Policy: one per requirement that has one (from the registry). */
export type PolicySections = {
  [D in SectionDescriptors as D['field']]: PolicySection<RequirementOptions[D['field']]>
}

export const POLICY_SECTIONS: PolicySections = Object.fromEntries(
  REGISTRY.flatMap((d) => ('section' in d && d.section ? [[d.field, d.section]] : [])),
) as PolicySections

export const SCHEMA_ID = 'urn:cognito-compliance-action:policy:v1'

const POOL_ID_EXAMPLE = 'us-east-1_AbC123'

/** The composed JSON Schema of the policy file. */
export function policySchema(sections: PolicySections = POLICY_SECTIONS): JsonSchema {
  const sectionProperties = Object.fromEntries(
    Object.values(sections).map((s: PolicySection<unknown>) => [s.key, { description: s.description, ...s.schema }]),
  )
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: 'cognito-compliance-action policy',
    description:
      'Which Amazon Cognito user pools to audit and what they must comply with. ' +
      'Keys are kebab-case; unknown keys are errors.',
    type: 'object',
    additionalProperties: false,
    required: ['version'],
    properties: {
      version: { const: 1, description: 'Policy format version. Always 1.' },
      regions: {
        type: 'array',
        description:
          'AWS Regions to audit. Pools named by id add their own Region; pool-name globs and `pools: all` ' +
          'are looked up in every Region listed here.',
        items: { title: 'AWS Region', enum: [...REGION_NAMES] },
        examples: [['us-east-1', 'eu-west-1']],
      },
      pools: {
        description:
          'Which user pools to audit: `all` (every pool in `regions`, the default) or a mapping of pool ids ' +
          'and/or pool-name globs.',
        default: 'all',
        oneOf: [
          { const: 'all', description: 'Every user pool in the listed regions.' },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              ids: {
                type: 'array',
                description: 'User pool ids. Each must exist; a missing pool is a violation.',
                items: { type: 'string', pattern: POOL_ID_PATTERN.source, examples: [POOL_ID_EXAMPLE] },
              },
              names: {
                type: 'array',
                description:
                  'Pool-name globs (`*` any characters, `?` one), matched in every listed region. ' +
                  'A glob that matches no pool is a violation.',
                items: { type: 'string', minLength: 1, maxLength: 256, examples: ['prod-*'] },
              },
              'allow-none': {
                type: 'boolean',
                default: false,
                description:
                  'Finding no user pool at all in the audited regions is expected (organisation-wide runs over ' +
                  'accounts without Cognito). Otherwise an audit of nothing is not compliant: a mistyped region ' +
                  'or the wrong account would stay green for ever.',
              },
            },
          },
        ],
      },
      ...sectionProperties,
      exemptions: {
        type: 'array',
        description:
          'Accepted deviations. A failing requirement of a matching pool is reported as exempt until the ' +
          'expiry date; an expired exemption no longer applies and the report says so.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['pool', 'requirement', 'reason'],
          properties: {
            pool: {
              type: 'string',
              minLength: 1,
              maxLength: 256,
              description:
                'A pool id, a pool-name glob, `*` for every pool, or a Region name for Region-level findings.',
              examples: [POOL_ID_EXAMPLE, 'legacy-*', '*'],
            },
            requirement: {
              type: 'string',
              minLength: 1,
              description: `A requirement (${REQUIREMENTS.join(', ')}) or a check id such as threat-protection-enforcement.`,
              examples: [...REQUIREMENTS],
            },
            reason: {
              type: 'string',
              minLength: 1,
              maxLength: 1000,
              description: 'Why the deviation is accepted; shown in the report.',
            },
            expires: {
              type: 'string',
              format: 'date',
              description: 'Last day (YYYY-MM-DD, inclusive) the exemption applies. No expiry when absent.',
              examples: ['2026-12-31'],
            },
          },
        },
      },
      report: {
        type: 'object',
        additionalProperties: false,
        description: 'What the report may contain.',
        properties: {
          'personal-data': {
            type: 'boolean',
            default: false,
            description: 'Allow user subs and source IP addresses (as top-5 counts) in the job summary.',
          },
        },
      },
    },
  }
}
