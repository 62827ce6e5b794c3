import { InputError } from '../../errors.js'

/**
 * Bad pre-deploy input (a template that is not YAML/JSON, a Terraform plan of another format major,
 * a cloud assembly without manifest, a path that does not exist, a reference to a resource the
 * template lacks): one line naming the file, and where known the line and property. The CLI prints it
 * and exits 2, before any AWS call.
 */
export class PlanInputError extends InputError {}

/** `file:line` when the line is known. */
export function at(file: string, line?: number): string {
  return line === undefined ? file : `${file}:${line}`
}
