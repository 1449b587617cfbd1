import { describe, expect, it } from 'vitest';
import { type FollowedJob, ProgressDisplay, progressLine } from './progress-display';

const progress = (apdusDone: number, phase?: string) => ({
  attempt: 1,
  application: 'SetPin',
  applicationIndex: 1,
  applicationCount: 2,
  apdusDone,
  apdusTotal: 5,
  ...(phase ? { phase } : {}),
});
const view = (state: string, p?: FollowedJob['progress']): FollowedJob => ({
  jobId: 'j1',
  state,
  attempt: 1,
  ...(p ? { progress: p } : {}),
});

function shown(tty: boolean, views: FollowedJob[]): string {
  let out = '';
  const display = new ProgressDisplay((text) => {
    out += text;
  }, tty);
  for (const v of views) display.show(v);
  display.end();
  return out;
}

const RUN = [
  view('SENT'),
  view('SENT'),
  view('IN_PROGRESS', progress(0)),
  view('IN_PROGRESS', progress(2, 'waiting-for-pin')),
  view('IN_PROGRESS', progress(2, 'waiting-for-pin')),
  view('IN_PROGRESS', progress(5)),
  view('SUCCEEDED', progress(5)),
];

describe('the progress line', () => {
  it('names the application, its place, APDU n of m or the PIN wait', () => {
    expect(progressLine(view('IN_PROGRESS', progress(3)))).toBe(
      'job j1 SetPin (application 2 of 2): APDU 3 of 5',
    );
    expect(progressLine(view('IN_PROGRESS', progress(0, 'waiting-for-pin')))).toBe(
      'job j1 SetPin (application 2 of 2): waiting for PIN at the station',
    );
  });

  it('shows nothing for an ended job or for progress of an earlier attempt', () => {
    expect(progressLine(view('FAILED', progress(3)))).toBeUndefined();
    expect(progressLine({ ...view('SENT', progress(3)), attempt: 2 })).toBeUndefined();
  });
});

describe('the progress display', () => {
  it('piped: one plain line per change, never the same line twice, no end state, no escapes', () => {
    expect(shown(false, RUN)).toBe(
      [
        'job j1 SENT',
        'job j1 IN_PROGRESS',
        'job j1 SetPin (application 2 of 2): APDU 0 of 5',
        'job j1 SetPin (application 2 of 2): waiting for PIN at the station',
        'job j1 SetPin (application 2 of 2): APDU 5 of 5',
        '',
      ].join('\n'),
    );
  });

  it('on a TTY: state changes on their own lines, the progress rewritten in place, cleared at the end', () => {
    const out = shown(true, RUN);
    const erase = '\r\u001b[2K';
    expect(out).toBe(
      [
        'job j1 SENT\n',
        'job j1 IN_PROGRESS\n',
        `${erase}job j1 SetPin (application 2 of 2): APDU 0 of 5`,
        `${erase}job j1 SetPin (application 2 of 2): waiting for PIN at the station`,
        `${erase}job j1 SetPin (application 2 of 2): APDU 5 of 5`,
        erase,
      ].join(''),
    );
    // A state change while a progress line is drawn: erased, the state line, the progress again.
    expect(shown(true, [view('SENT', progress(1)), view('IN_PROGRESS', progress(1))])).toBe(
      `job j1 SENT\n${erase}job j1 SetPin (application 2 of 2): APDU 1 of 5${erase}job j1 IN_PROGRESS\njob j1 SetPin (application 2 of 2): APDU 1 of 5${erase}`,
    );
  });
});
