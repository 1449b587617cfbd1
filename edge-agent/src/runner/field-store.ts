import { createRedactor, type Redactor } from '@cardfleet/shared';

/**
 * Field values of one job: job fields, then whatever applications write. Tracks which
 * fields are secret so traces and results can hide them, and which values are secret
 * so any text can be scrubbed of them (a PIN must not survive in an error message).
 */
export class FieldStore {
  private readonly values = new Map<string, string>();
  private readonly secretNames: Set<string>;
  private readonly secretValues = new Set<string>();
  private redactor: Redactor | undefined;
  private view: Record<string, string> | undefined;

  constructor(initial: Readonly<Record<string, string>>, secretFields: Iterable<string>) {
    this.secretNames = new Set(secretFields);
    for (const [name, value] of Object.entries(initial)) this.set(name, value);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  set(name: string, value: string, secret = false): void {
    if (secret) this.secretNames.add(name);
    this.values.set(name, value);
    this.view = undefined;
    if (this.secretNames.has(name) && value !== '') {
      this.secretValues.add(value);
      this.redactor = undefined;
    }
  }

  /** A secret that lives in no field as such (a PIN as typed, before encoding). */
  addSecretValue(value: string): void {
    if (value === '' || this.secretValues.has(value)) return;
    this.secretValues.add(value);
    this.redactor = undefined;
  }

  isSecret(name: string): boolean {
    return this.secretNames.has(name);
  }

  /** A read-only view for the script compiler (rebuilt only after a change). */
  snapshot(): Readonly<Record<string, string>> {
    this.view ??= Object.fromEntries(this.values);
    return this.view;
  }

  redact(): Redactor {
    this.redactor ??= createRedactor(this.secretValues);
    return this.redactor;
  }
}
