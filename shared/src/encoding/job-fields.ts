import type { FieldRef } from '../apdu-script/field-format';
import type { ValidatedBundle } from '../bundle/bundle';
import { crKeyLengths } from '../crypto/challenge-response';
import { ENCODING_KEYS } from './encoding-keys';
import type { Setting } from './encoding-model';
import {
  anchored,
  BASE64_RULE,
  type FieldRule,
  hexOfLengths,
  hexRule,
  type JobField,
  type JobFieldFormat,
  settingRule,
  TEXT_RULE,
} from './job-field-rules';
import { fieldValueProblem } from './job-field-value';

export { JOB_FIELD_FORMATS, type JobField, type JobFieldFormat, JobFieldSchema } from './job-field-rules';

/**
 * The job fields of an encoding version (docs/encoding-format.md, "Job fields"): every
 * field its bundle reads that nothing in it writes — `${FIELD}` values of its settings,
 * the data of DYN lines, the key and input of CR lines, the description of PIN lines —
 * each with what its value must look like, where it is used and whether the job must
 * give it. Fields an APDU line or an application writes (outputs, response codes, the
 * license status) are the card's answers, and PINs are typed at the station: neither is
 * asked when the job is made (the same reading as batches: messages/batch-fields.ts).
 * A field is required (no empty value) unless only DYN lines read it: the APDU seed
 * sends an empty DYN field as no bytes. Pure: the cloud fills the encoding view and
 * checks a job with it, the console builds its form and checks before sending.
 */
interface Use {
  rule: FieldRule;
  required: boolean;
  where: string;
}

export function jobFieldsOf(bundle: ValidatedBundle): JobField[] {
  const uses = new Map<string, Use[]>();
  const written = new Set<string>();
  const read = (name: string, use: Use) => uses.set(name, [...(uses.get(name) ?? []), use]);
  const file = bundle.encodingFile.name;
  const settingUses = (settings: Readonly<Record<string, Setting>>, owner: string) => {
    for (const setting of Object.values(settings)) {
      const spec = ENCODING_KEYS[setting.key];
      if (setting.value.kind === 'field')
        read(setting.value.name, {
          rule: spec ? settingRule(setting.key, spec.type) : TEXT_RULE,
          required: true,
          where: `${file} line ${setting.line}: ${setting.key}${owner}`,
        });
      // ApduResponseCodesField, LicenseStatusField…: the application writes the field they name.
      else if (setting.value.kind === 'literal' && spec?.type.kind === 'field-name')
        written.add(setting.value.text);
    }
  };
  settingUses(bundle.encoding.settings, '');
  for (const app of bundle.encoding.applications) settingUses(app.settings, ` of application ${app.name}`);
  for (const script of bundle.scripts.values())
    for (const line of script.lines) {
      const at = (what: string) => `APDU script ${script.file} line ${line.line}: ${what}`;
      if (line.kind === 'PIN') {
        read(line.descriptionField, { rule: TEXT_RULE, required: true, where: at('PIN description') });
        for (const typed of [line.newPin.name, line.oldPin?.name, line.transportPinField])
          if (typed) written.add(typed);
        continue;
      }
      if (line.output) written.add(line.output.name);
      if (line.kind === 'DYN')
        for (const part of line.data)
          if (part.kind === 'field')
            read(part.ref.name, { rule: refRule(part.ref), required: false, where: at('DYN data') });
      if (line.kind === 'CR') {
        read(line.input.name, { rule: refRule(line.input), required: true, where: at('CR input') });
        if (line.key.kind === 'field') {
          const lengths = crKeyLengths(line.algorithm);
          const rule = line.key.ref.format === 'hex' ? hexOfLengths(lengths) : refRule(line.key.ref);
          read(line.key.ref.name, { rule, required: true, where: at(`CR key (${line.algorithm})`) });
        }
      }
    }
  const secret = new Set(bundle.secretFields);
  return [...uses]
    .filter(([name]) => !written.has(name))
    .map(([name, fieldUses]) => merged(name, secret.has(name), fieldUses))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** A script field's rule from its format prefix (`<hex>` by default, `<string>`, `<base64>`). */
function refRule(ref: FieldRef): FieldRule {
  if (ref.format === 'hex') return hexRule();
  return ref.format === 'base64' ? BASE64_RULE : TEXT_RULE;
}

/** Most specific first: the format a form shows when uses differ (the pattern holds them all). */
const PRECEDENCE: readonly JobFieldFormat[] = ['hex', 'base64', 'decimal', 'date', 'boolean', 'text'];

function merged(name: string, secret: boolean, uses: readonly Use[]): JobField {
  const rules = uses.map((u) => u.rule);
  const format = PRECEDENCE.find((f) => rules.some((r) => r.format === f)) ?? 'text';
  const bytes = rules.find((r) => r.bytes !== undefined)?.bytes;
  const mins = rules.flatMap((r) => (r.minBytes === undefined ? [] : [r.minBytes]));
  const maxes = rules.flatMap((r) => (r.maxBytes === undefined ? [] : [r.maxBytes]));
  const bodies = [...new Set(rules.map((r) => r.body))];
  // Every use's expression must hold: one lookahead per use when they differ.
  const pattern =
    bodies.length === 1
      ? anchored(bodies[0] as string)
      : `^${bodies.map((b) => `(?=(?:${b})$)`).join('')}[\\s\\S]*$`;
  const where = [...new Set(uses.map((u) => u.where))];
  return {
    name,
    secret,
    required: uses.some((u) => u.required),
    format,
    ...(bytes === undefined ? {} : { bytes }),
    ...(mins.length > 0 ? { minBytes: Math.max(...mins) } : {}),
    ...(maxes.length > 0 ? { maxBytes: Math.min(...maxes) } : {}),
    pattern,
    uses: where,
    description: `Used in ${where.join('; ')}`,
  };
}

export interface JobFieldProblem {
  field: string;
  code: 'JOB_FIELD_MISSING' | 'JOB_FIELD_MALFORMED';
  /** Names the field and what it expects, never its value (it may be secret). */
  message: string;
}

/**
 * What is wrong with a job's field values against the version's job fields: a required
 * field absent or empty, a given value of the wrong form. Fields the version does not
 * read are not refused (an older client may send more); `unreadFields` names them.
 */
export function jobFieldProblems(
  fields: readonly JobField[],
  values: Readonly<Record<string, string>>,
): JobFieldProblem[] {
  const problems: JobFieldProblem[] = [];
  for (const field of fields) {
    const value = Object.hasOwn(values, field.name) ? values[field.name] : undefined;
    if (value === undefined || value === '') {
      if (field.required)
        problems.push({
          field: field.name,
          code: 'JOB_FIELD_MISSING',
          message: `field ${field.name} is required (${field.description})`,
        });
      continue;
    }
    const problem = fieldValueProblem(field, value);
    if (problem)
      problems.push({
        field: field.name,
        code: 'JOB_FIELD_MALFORMED',
        message: `field ${field.name}: ${problem}`,
      });
  }
  return problems;
}

/** Given fields the version never reads (a form may warn of a misspelt name). */
export function unreadFields(
  fields: readonly JobField[],
  values: Readonly<Record<string, string>>,
): string[] {
  const known = new Set(fields.map((f) => f.name));
  return Object.keys(values)
    .filter((name) => !known.has(name))
    .sort();
}
