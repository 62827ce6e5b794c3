/**
 * A Terraform plan (`terraform show -json PLANFILE`, format 1.x) → a planned `AccountSnapshot`.
 *
 * Created, updated, replaced and unchanged instances are planned objects (`plan.change` says which);
 * deleted ones are listed in `source.deleted`. Locations: the resource block in the `.tf` files of its
 * module (root = `tfDir`, default the plan file's directory), else the address alone.
 */
import { dirname, join } from 'node:path'
import type { SourceLocation } from '../../model/plan.js'
import type { AccountSnapshot } from '../../model/snapshot.js'
import { PlanBuilder } from '../planned/builder.js'
import { PlanInputError } from '../planned/errors.js'
import { displayPath, readInput } from '../planned/files.js'
import { HclIndex } from './hcl.js'
import { parsePlan } from './plan.js'
import { PlanIndex } from './references.js'
import { READ_TYPES, readInstance } from './resources.js'

export interface TerraformOptions {
  /** The JSON plan file. */
  file: string
  /** Region for resources whose provider sets none the plan shows. */
  region?: string
  account?: string
  /** Directory of the root module's `.tf` files. Default: the plan file's directory. */
  tfDir?: string
  /** Checkout root: file names in locations are relative to it. Default: the working directory. */
  root?: string
}

export async function loadTerraformPlan(opts: TerraformOptions): Promise<AccountSnapshot> {
  const root = opts.root ?? process.cwd()
  const display = displayPath(opts.file, root)
  const plan = parsePlan(display, await readInput('terraform-plan', opts.file))
  const index = new PlanIndex(plan, opts.region, opts.account)
  const relevant = index.instances.filter((i) => i.rc.mode === 'managed' && READ_TYPES.has(i.rc.type))
  const regionless = relevant.find((i) => !i.region)
  if (regionless) {
    throw new PlanInputError(
      `${display}: ${regionless.rc.address} has no region in the plan (its provider's region is not a constant; pass --region)`,
    )
  }
  const hcl = new HclIndex(root)
  const tfDir = opts.tfDir ?? dirname(opts.file)
  for (const dir of new Set(relevant.flatMap((i) => (i.scope.dir === undefined ? [] : [join(tfDir, i.scope.dir)])))) {
    await hcl.load(dir)
  }
  const locate = (inst: (typeof relevant)[number]): SourceLocation => {
    const loc: SourceLocation = { file: display, address: inst.rc.address }
    if (inst.scope.dir === undefined) return loc
    const found = hcl.find(join(tfDir, inst.scope.dir), inst.rc.mode, inst.rc.type, inst.rc.name)
    if (found) {
      loc.file = found.file
      loc.line = found.line
    }
    return loc
  }
  const regions = [...new Set(relevant.map((i) => i.region!))].sort()
  const stacks = regions.map((region) => {
    const s: { name: string; region: string; account?: string; file: string } = {
      name: 'terraform',
      region,
      file: display,
    }
    if (opts.account) s.account = opts.account
    return s
  })
  const builder = new PlanBuilder('terraform', [opts.file], stacks)
  for (const inst of relevant) readInstance(index, inst, builder, locate)
  return builder.build()
}
