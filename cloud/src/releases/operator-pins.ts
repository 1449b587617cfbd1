import type { ValidatedBundle } from '@cardfleet/shared';

/**
 * Where an encoding presents a PIN the operator typed (docs/releases.md, "What counts"):
 * per APDU application, the script lines whose data carries a field a PIN line filled
 * (the new, current or transport PIN asked at the station, docs/encoding-format.md
 * "PIN lines"); per PKCS#11 application, whether any PIN key is `?prompt`. A wrong PIN
 * there is the operator's typing, not the encoding's fault.
 */
export interface OperatorPins {
  /** Application name → line numbers of its script that present an operator-typed PIN. */
  apduLines: ReadonlyMap<string, ReadonlySet<number>>;
  /** PKCS#11 applications that ask a PIN at the station. */
  promptedApps: ReadonlySet<string>;
}

export function operatorPins(bundle: ValidatedBundle): OperatorPins {
  const apduLines = new Map<string, Set<number>>();
  const promptedApps = new Set<string>();
  for (const app of bundle.encoding.applications) {
    if (app.kind === 'pkcs11' && Object.values(app.settings).some((s) => s.value.kind === 'prompt'))
      promptedApps.add(app.name);
    if (app.kind !== 'apdu') continue;
    const lines = bundle.scripts.get(app.apduFile)?.lines ?? [];
    const typed = new Set<string>();
    for (const line of lines) {
      if (line.kind !== 'PIN') continue;
      typed.add(line.newPin.name);
      if (line.oldPin) typed.add(line.oldPin.name);
      if (line.transportPinField) typed.add(line.transportPinField);
    }
    const presenting = lines.filter(
      (line) => line.kind === 'DYN' && line.data.some((p) => p.kind === 'field' && typed.has(p.ref.name)),
    );
    apduLines.set(app.name, new Set(presenting.map((line) => line.line)));
  }
  return { apduLines, promptedApps };
}
