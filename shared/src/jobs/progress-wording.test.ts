import { describe, expect, it } from 'vitest';
import { applicationPlace, progressDoing } from './progress-wording';

const progress = {
  application: 'Personalise',
  applicationIndex: 1,
  applicationCount: 3,
  apdusDone: 4,
  apdusTotal: 12,
};

describe('progress wording', () => {
  it('names the application by its 1-based place in the encoding', () => {
    expect(applicationPlace(progress)).toBe('Personalise (application 2 of 3)');
  });

  it('counts APDUs while running, with or without a phase', () => {
    expect(progressDoing(progress)).toBe('APDU 4 of 12');
    expect(progressDoing({ ...progress, phase: 'running' })).toBe('APDU 4 of 12');
  });

  it('says the job waits for the PIN at the station, whatever the counts', () => {
    expect(progressDoing({ ...progress, phase: 'waiting-for-pin' })).toBe('waiting for PIN at the station');
  });

  it('says running when the application sends no APDU (PKCS#11, license)', () => {
    expect(progressDoing({ ...progress, apdusTotal: 0, apdusDone: 0 })).toBe('running');
  });
});
