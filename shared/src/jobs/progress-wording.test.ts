import { describe, expect, it } from 'vitest';
import { applicationPlace, isWaitingForPin, progressDoing, WAITING_FOR_PIN } from './progress-wording';

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

describe('the PIN wait', () => {
  it('is the phase waiting-for-pin only, in fixed words', () => {
    expect(WAITING_FOR_PIN).toBe('waiting for PIN at the station');
    expect(
      [undefined, 'running', 'waiting-for-pin', 'WAITING-FOR-PIN'].map((phase) =>
        isWaitingForPin({ ...progress, phase }),
      ),
    ).toEqual([false, false, true, false]);
  });

  it('gives way to APDU counting from the first APDU on', () => {
    expect(progressDoing({ ...progress, apdusTotal: 1, apdusDone: 0 })).toBe('APDU 0 of 1');
    expect(applicationPlace({ ...progress, applicationIndex: 0, applicationCount: 1 })).toBe(
      'Personalise (application 1 of 1)',
    );
  });
});
