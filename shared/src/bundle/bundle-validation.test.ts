import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { CardfleetError } from '../errors/cardfleet-error';
import {
  type BundleFile,
  MAX_BUNDLE_BYTES,
  MAX_PARSED_FILE_BYTES,
  readZipBundle,
  validateBundle,
} from './bundle';

const utf8 = (text: string) => new TextEncoder().encode(text);
const file = (name: string, text: string | Uint8Array): BundleFile => ({
  name,
  bytes: typeof text === 'string' ? utf8(text) : text,
});
const encoding = 'ApplicationList=A\n[A]\nApduFile=a.apdu\n';
const script = 'RAW[V]:00CA018202\n';
/** An .apdu file of `size` bytes: a valid line, then comment lines. */
const padded = (size: number) => {
  const head = `${script}#`;
  return file('a.apdu', `${head}${'x'.repeat(size - head.length - 1)}\n`);
};
const describeAll = (list: readonly CardfleetError[]) => list.map((p) => p.describe());
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as CardfleetError;
  }
  return undefined;
};

describe('bundle size limits', () => {
  it('are 64 KiB for a bundle and four times that for a file still parsed', () => {
    expect(MAX_BUNDLE_BYTES).toBe(65_536);
    expect(MAX_PARSED_FILE_BYTES).toBe(262_144);
  });

  it('take a bundle of exactly 64 KiB and refuse one byte more, counting every file', () => {
    const ini = file('e.ini', encoding);
    const exact = validateBundle({ files: [ini, padded(MAX_BUNDLE_BYTES - ini.bytes.length)] });
    expect(exact.problems).toEqual([]);
    expect(exact.bundle).toBeDefined();
    const over = validateBundle({ files: [ini, padded(MAX_BUNDLE_BYTES - ini.bytes.length + 1)] });
    expect(over.bundle).toBeUndefined();
    expect(describeAll(over.problems)).toEqual([
      'the bundle holds 65537 bytes; the limit is 65536 (it travels inside one MQTT message) [BUNDLE_TOO_LARGE]',
    ]);
  });

  it('still parse the files of an oversized bundle up to 256 KiB each, listing their problems', () => {
    const result = validateBundle({
      files: [file('e.ini', `${encoding}Foo=1\n`), padded(MAX_PARSED_FILE_BYTES)],
    });
    expect(describeAll(result.problems)).toEqual([
      'the bundle holds 262188 bytes; the limit is 65536 (it travels inside one MQTT message) [BUNDLE_TOO_LARGE]',
      'e.ini:4:1: unknown key Foo in an apdu application [ENCODING_UNKNOWN_KEY]',
    ]);
  });

  it('give a file over 256 KiB one size error and parse nothing', () => {
    const result = validateBundle({
      files: [file('e.ini', `${encoding}Foo=1\n`), padded(MAX_PARSED_FILE_BYTES + 1), file('b.apdu', 'x')],
    });
    expect(describeAll(result.problems)).toEqual([
      'the bundle holds 262190 bytes; the limit is 65536 (it travels inside one MQTT message) [BUNDLE_TOO_LARGE]',
      'a.apdu:1:1: a.apdu holds 262145 bytes; a bundle may hold at most 65536 (it travels inside one MQTT message) — not parsed [BUNDLE_TOO_LARGE]',
    ]);
    expect(result.bundle).toBeUndefined();
  });
});

describe('bundle files', () => {
  it('take the one .ini in any case as the encoding, and name several', () => {
    const result = validateBundle({ files: [file('E.INI', encoding), file('a.apdu', script)] });
    expect(result.problems).toEqual([]);
    expect(result.bundle?.encodingFile.name).toBe('E.INI');
    expect(describeAll(validateBundle({ files: [file('a.ini', ''), file('B.Ini', '')] }).problems)).toEqual([
      'the bundle has several encoding descriptions: a.ini, B.Ini [BUNDLE_SEVERAL_ENCODINGS]',
    ]);
    expect(describeAll(validateBundle({ files: [file('a.apdu', script)] }).problems)).toEqual([
      'the bundle has no encoding description (*.ini) [BUNDLE_NO_ENCODING]',
    ]);
  });

  it('warn of files that are neither the encoding nor a script, and of no .apdu in capitals', () => {
    const result = validateBundle({
      files: [
        file('e.ini', encoding),
        file('a.apdu', script),
        file('B.APDU', script),
        file('notes.txt', 'x'),
      ],
    });
    expect(result.problems).toEqual([]);
    expect(describeAll(result.warnings)).toEqual([
      'notes.txt is neither the encoding nor an .apdu script and is ignored [BUNDLE_EXTRA_FILE]',
    ]);
  });

  it('give back the encoding, its file and only the scripts its applications name', () => {
    const ini = file('e.ini', encoding);
    const { bundle, problems, warnings } = validateBundle({
      files: [ini, file('a.apdu', script), file('unused.apdu', 'junk')],
    });
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    expect(bundle?.encodingFile).toBe(ini);
    expect(bundle?.encoding.applications.map((a) => a.name)).toEqual(['A']);
    expect([...(bundle?.scripts.keys() ?? [])]).toEqual(['a.apdu']);
    expect(bundle?.secretFields).toEqual([]);
  });

  it('parse a script two applications name once, reporting its problems once', () => {
    const twice = 'ApplicationList=A,B\n[A]\nApduFile=a.apdu\n[B]\nApduFile=a.apdu\n';
    expect(
      describeAll(validateBundle({ files: [file('e.ini', twice), file('a.apdu', 'RAW:0G\n')] }).problems),
    ).toEqual(["a.apdu:1:6: APDU: 'G' is not a hex digit [SCRIPT_BAD_HEX]"]);
  });

  it('refuse a script that is not UTF-8 at its start and go on with the others', () => {
    const two = 'ApplicationList=A,B\n[A]\nApduFile=a.apdu\n[B]\nApduFile=b.apdu\n';
    const result = validateBundle({
      files: [file('e.ini', two), file('a.apdu', Uint8Array.of(0xff)), file('b.apdu', 'RAW:0G\n')],
    });
    expect(describeAll(result.problems)).toEqual([
      'a.apdu:1:1: a.apdu is not UTF-8 text [BUNDLE_NOT_UTF8]',
      "b.apdu:1:6: APDU: 'G' is not a hex digit [SCRIPT_BAD_HEX]",
    ]);
    expect(result.problems[0]?.cause).toBeInstanceOf(TypeError);
  });

  it('refuse an encoding that is not UTF-8 at its start', () => {
    const result = validateBundle({ files: [file('e.ini', Uint8Array.of(0x41, 0xc3))] });
    expect(describeAll(result.problems)).toEqual(['e.ini:1:1: e.ini is not UTF-8 text [BUNDLE_NOT_UTF8]']);
    expect(result.problems[0]?.cause).toBeInstanceOf(TypeError);
  });

  it('keep the encoding warnings of a valid bundle', () => {
    const legacy = 'ApplicationList=A\n[A]\nCardOSApduFile=a.apdu\n';
    const result = validateBundle({ files: [file('e.ini', legacy), file('a.apdu', script)] });
    expect(result.bundle).toBeDefined();
    expect(describeAll(result.warnings)).toEqual([
      'e.ini:3:1: CardOSApduFile is deprecated: use ApduFile [ENCODING_DEPRECATED_KEY]',
    ]);
  });

  it('mark the old and new PINs of a PIN line and a CR key field secret, not a literal CR key', () => {
    const apdu = 'PIN[OLD,NEW]:DESC\nCR[R]:RETAIL_MAC;0x404142434445464748494A4B4C4D4E4F;CH\n';
    const { bundle } = validateBundle({ files: [file('e.ini', encoding), file('a.apdu', apdu)] });
    expect(bundle?.secretFields).toEqual(['NEW', 'OLD']);
  });
});

describe('CardSerialField in a bundle', () => {
  const ini = (extra = '') => `ApplicationList=A\nCardSerialField=SERIAL\n${extra}[A]\nApduFile=a.apdu\n`;

  it('is the output of a RAW or DYN line', () => {
    for (const apdu of ['RAW:00A4040000\nRAW[SERIAL]:00CA018202\n', 'DYN[SERIAL]:00CA0182;;2\n']) {
      expect(validateBundle({ files: [file('e.ini', ini()), file('a.apdu', apdu)] }).problems, apdu).toEqual(
        [],
      );
    }
  });

  it('is refused when no RAW or DYN line writes it, pointing at the setting', () => {
    for (const apdu of ['RAW[OTHER]:00CA018202\nRAW:00CA018202\n', 'CR[SERIAL]:RETAIL_MAC;K;CH\n']) {
      expect(
        describeAll(validateBundle({ files: [file('e.ini', ini()), file('a.apdu', apdu)] }).problems),
        apdu,
      ).toEqual([
        "e.ini:2:17: CardSerialField SERIAL is not the output of a RAW or DYN line in the bundle's scripts [ENCODING_SERIAL_FIELD]",
      ]);
    }
  });

  it('is refused when it is secret: the serial is filed in the clear', () => {
    const result = validateBundle({
      files: [file('e.ini', ini('SecretFields=SERIAL\n')), file('a.apdu', 'RAW[SERIAL]:00CA018202\n')],
    });
    expect(describeAll(result.problems)).toEqual([
      'e.ini:2:17: CardSerialField SERIAL is a secret field [ENCODING_SERIAL_FIELD]',
    ]);
  });
});

describe('zip bundles', () => {
  it('keep the base name of each file and skip folder entries', () => {
    const zip = zipSync({ 'enc/': new Uint8Array(0), 'enc/e.ini': utf8(encoding), 'a.apdu': utf8(script) });
    expect(readZipBundle(zip).files.map((f) => [f.name, new TextDecoder().decode(f.bytes)])).toEqual([
      ['e.ini', encoding],
      ['a.apdu', script],
    ]);
  });

  it('refuse two files of one name in different folders', () => {
    const zip = zipSync({ 'x/a.apdu': utf8(script), 'y/a.apdu': utf8(script) });
    const error = refusal(() => readZipBundle(zip, 'v2.zip'));
    expect(error?.code).toBe('BUNDLE_DUPLICATE_FILE');
    expect(error?.message).toBe('v2.zip holds two files named a.apdu');
  });

  it('refuse bytes that are not a zip, naming the archive and keeping the cause', () => {
    const error = refusal(() => readZipBundle(utf8('not a zip'), 'v2.zip'));
    expect(error?.code).toBe('BUNDLE_BAD_ZIP');
    expect(error?.message).toBe('v2.zip is not a readable zip archive');
    expect(error?.cause).toBeDefined();
  });

  it('inflate an entry of 256 KiB and refuse one byte more by its declared size', () => {
    const limit = zipSync({ 'a.apdu': new Uint8Array(MAX_PARSED_FILE_BYTES) });
    expect(readZipBundle(limit).files[0]?.bytes.length).toBe(MAX_PARSED_FILE_BYTES);
    const over = zipSync({ 'dir/a.apdu': new Uint8Array(MAX_PARSED_FILE_BYTES + 1) });
    const error = refusal(() => readZipBundle(over, 'v2.zip'));
    expect(error?.describe()).toBe(
      'dir/a.apdu:1:1: v2.zip: dir/a.apdu expands to 262145 bytes; a bundle may hold at most 65536 [BUNDLE_TOO_LARGE]',
    );
  });
});
