/**
 * A validated encoding description. Applications are listed in ApplicationList
 * order; every setting remembers its position (for errors) and whether it is secret.
 */
export type SettingValue =
  | { kind: 'literal'; text: string }
  | { kind: 'field'; name: string }
  /** `?prompt`: asked of the operator at the station (prompt-keys.ts). */
  | { kind: 'prompt' };

export interface Setting {
  key: string;
  value: SettingValue;
  secret: boolean;
  line: number;
  column: number;
}

interface ApplicationCommon {
  name: string;
  line: number;
  settings: Readonly<Record<string, Setting>>;
}

export interface ApduApplication extends ApplicationCommon {
  kind: 'apdu';
  apduFile: string;
  responseCodesField: string | undefined;
}

export interface Pkcs11Application extends ApplicationCommon {
  kind: 'pkcs11';
}

export interface LicenseApplication extends ApplicationCommon {
  kind: 'license';
}

export type Application = ApduApplication | Pkcs11Application | LicenseApplication;

export interface EncodingDescription {
  file: string;
  settings: Readonly<Record<string, Setting>>;
  applications: Application[];
  /** Job fields whose values are secret: SecretFields plus fields named by secret keys. */
  secretFields: string[];
}

/** `${FIELD}`: the one syntax for a job-field reference; it is the whole value. */
export const FIELD_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

export function settingText(setting: Setting | undefined): string | undefined {
  return setting?.value.kind === 'literal' ? setting.value.text : undefined;
}
