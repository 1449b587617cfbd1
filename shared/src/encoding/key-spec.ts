/**
 * How the key table (encoding-keys.ts) describes one key of an encoding description:
 * where it may appear, how its value is checked, whether it is secret.
 */
export type KeyScope = 'encoding' | 'apdu' | 'pkcs11' | 'license';

export type ValueType =
  | { kind: 'text' }
  | { kind: 'boolean' }
  | { kind: 'integer'; allowed?: readonly number[] }
  | { kind: 'hex'; bytes?: number; range?: readonly [min: number, max: number] }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'field-name' }
  | { kind: 'field-list' }
  | { kind: 'file-name'; extension: string }
  | { kind: 'date' }
  | { kind: 'windows-dll' }
  | { kind: 'module' }
  | { kind: 'reg-exp' };

export interface KeySpec {
  scopes: readonly KeyScope[];
  type: ValueType;
  secret: boolean;
  /** May the value be a job-field reference `${FIELD}`? */
  fieldReference: boolean;
  /** May the value be `?prompt`: asked of the operator at the station (prompt-keys.ts)? */
  promptable?: boolean;
  /** The key that replaces this legacy spelling. */
  replacedBy?: string;
  description: string;
}
