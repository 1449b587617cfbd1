/**
 * An encoding whose secrets are written in it, not passed as fields (docs/messaging.md,
 * "Sealed literals"): a factory Card Manager Key in the `.ini` and a fixed
 * challenge/response key on a CR line of its `.apdu`. The CR key is key 8 of the virtual
 * CardOS card (examples/cards/cardos.json), so EXTERNAL AUTHENTICATE passes only when the
 * agent runs the key exactly as written; the PKCS#11 application takes the CMK.
 */
export const LITERAL_CMK = 'C0DE5EA1ED0F0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B';
export const LITERAL_CR_KEY = '404142434445464748494A4B4C4D4E4F';

/** As written: the CMK in lower case, the CR key with blanks between its bytes. */
export const literalSecretFiles: Readonly<Record<string, string>> = {
  'encoding.ini': [
    '# Authenticate with key 8, then initialise the token with the factory Card Manager Key.',
    'ApplicationList=Auth,Personalise',
    '[Auth]',
    'ApduFile=auth.apdu',
    'ApduResponseCodesField=AUTH_CODES',
    '[Personalise]',
    'PKCS11LibraryWindows64=C:/Program Files/Gemalto/IDPrimePKCS1164.dll',
    'InitToken=true',
    'TokenLabel=card-0',
    `CardManagerKey=${LITERAL_CMK.toLowerCase()}`,
    '',
  ].join('\n'),
  'auth.apdu': [
    'DYN[CHALLENGE]:00840000;;16   # GET CHALLENGE',
    `CR[RESPONSE]:RETAIL_MAC; 0x${LITERAL_CR_KEY.toLowerCase().match(/../g)?.join(' ')} ;CHALLENGE`,
    'DYN:00820008;RESPONSE;       # EXTERNAL AUTHENTICATE, key 8',
    '',
  ].join('\n'),
};

/** The bundle's files as a push takes them. */
export const literalSecretBundle = () =>
  Object.entries(literalSecretFiles).map(([name, text]) => ({ name, bytes: new TextEncoder().encode(text) }));

/** Every spelling of a hex secret someone reading the wire could search for. */
export function hexSpellings(hex: string): string[] {
  const bytes = Buffer.from(hex, 'hex');
  const pairs = hex.match(/../g) ?? [];
  return [
    hex.toUpperCase(),
    hex.toLowerCase(),
    pairs.join(' ').toUpperCase(),
    pairs.join(' ').toLowerCase(),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    Buffer.from(hex.toLowerCase()).toString('base64'),
    Buffer.from(hex.toUpperCase()).toString('base64'),
  ];
}

/**
 * What a reader of one broker message can see: its text and hex, and — for a compact JWS
 * — its decoded header and payload, with every base64 string inside decoded too (the
 * bundle's files travel base64 inside the payload).
 */
export function wireTexts(payload: Uint8Array): string[] {
  const text = Buffer.from(payload).toString('utf8');
  const texts = [text, Buffer.from(payload).toString('hex')];
  const segments = text.split('.');
  if (segments.length !== 3) return texts;
  for (const segment of segments.slice(0, 2)) {
    const decoded = Buffer.from(segment, 'base64url').toString('utf8');
    texts.push(decoded);
    try {
      texts.push(...decodedStrings(JSON.parse(decoded)));
    } catch {
      // not JSON: its text is already in
    }
  }
  return texts;
}

function decodedStrings(value: unknown): string[] {
  if (typeof value === 'string')
    return /^[A-Za-z0-9+/]+=*$/.test(value) && value.length % 4 === 0
      ? [Buffer.from(value, 'base64').toString('utf8')]
      : [];
  if (Array.isArray(value)) return value.flatMap(decodedStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(decodedStrings);
  return [];
}
