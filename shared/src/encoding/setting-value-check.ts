import { FIELD_NAME_PATTERN } from '../apdu-script/field-format';
import { pinRuleProblem } from '../pin-rule/pin-rule';
import type { ValueType } from './encoding-keys';

/** Checks a literal value against its key's type; returns a message or undefined. */
export function checkSettingValue(type: ValueType, value: string): string | undefined {
  switch (type.kind) {
    case 'text':
      return undefined;
    case 'boolean':
      return /^(true|false|1|0)$/i.test(value) ? undefined : 'expected true, false, 1 or 0';
    case 'integer': {
      if (!/^\d+$/.test(value)) return 'expected a decimal number';
      if (type.allowed && !type.allowed.includes(Number(value)))
        return `allowed values are ${type.allowed.join(', ')}`;
      return undefined;
    }
    case 'hex': {
      const digits = value.replace(/\s+/g, '');
      if (!/^(?:[0-9A-Fa-f]{2})+$/.test(digits)) return 'expected an even number of hex digits';
      if (type.bytes !== undefined && digits.length !== type.bytes * 2) {
        return `expected exactly ${type.bytes} bytes (${type.bytes * 2} hex digits), got ${digits.length} digits`;
      }
      if (type.range && (digits.length < type.range[0] * 2 || digits.length > type.range[1] * 2))
        return `expected ${type.range[0]} to ${type.range[1]} bytes, got ${digits.length / 2}`;
      return undefined;
    }
    case 'enum':
      return type.values.includes(value) ? undefined : `expected one of ${type.values.join(', ')}`;
    case 'field-name':
      return FIELD_NAME_PATTERN.test(value) ? undefined : 'expected a field name (letters, digits, _)';
    case 'field-list': {
      const bad = value.split(',').find((item) => !FIELD_NAME_PATTERN.test(item.trim()));
      return bad === undefined ? undefined : `'${bad.trim()}' is not a name (letters, digits, _)`;
    }
    case 'file-name':
      if (/[\\/]/.test(value) || value.startsWith('.'))
        return 'expected a file name inside the bundle, without folders';
      return value.toLowerCase().endsWith(type.extension)
        ? undefined
        : `the file must end with ${type.extension}`;
    case 'windows-dll':
      // A drive path (C:/… or C:\…) or a bare DLL name; catches garbled copies like "cC:/…".
      return /^(?:[A-Za-z]:[\\/][^:]*|[^\\/:]+)\.dll$/i.test(value)
        ? undefined
        : 'expected a Windows DLL path like C:/…/name.dll or a DLL name';
    case 'module':
      return checkModuleName(value);
    case 'reg-exp':
      // RE2 syntax, matched in linear time on the agent (shared/src/pin-rule/pin-rule.ts).
      return pinRuleProblem(value) === undefined
        ? undefined
        : 'expected a regular expression (the whole PIN must match it)';
    case 'date':
      return value === 'today' || isCalendarDate(value) ? undefined : 'expected YYYYMMDD or today';
  }
}

/**
 * A PKCS#11 module is a shared library: a file name or path ending in .dll, .so (maybe
 * versioned) or .dylib. Folders may contain '#' ("IDGo 800 PKCS#11"); the file name may
 * not, which catches a comment written after the value: in an encoding `#` starts a comment
 * only at the start of a line (docs/encoding-format.md §2), so `eTPKCS11.dll# …` would reach
 * the agent as the module name and fail there with MODULE_NOT_MAPPED.
 */
function checkModuleName(value: string): string | undefined {
  const file = value.split(/[\\/]/).pop() ?? value;
  if (/^[^#;:*?"<>|]+\.(?:dll|so(?:\.\d+)*|dylib)$/i.test(file)) return undefined;
  if (/[#;]/.test(file))
    return 'expected a module file name or path (.dll, .so, .dylib); # and ; start a comment only at the start of a line — put the comment on its own line';
  return 'expected a module file name or path ending in .dll, .so or .dylib';
}

/** Offset of a `#` or `;` in a module value's file name (where a comment was meant to start), else 0. */
export function moduleCommentOffset(value: string): number {
  const start = Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\')) + 1;
  const mark = value.slice(start).search(/[#;]/);
  return mark < 0 ? 0 : start + mark;
}

export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
