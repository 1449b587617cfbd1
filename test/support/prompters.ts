import { CardfleetError } from '@cardfleet/shared';
import type { PinEntry, PinRequest, Prompter } from '../../edge-agent/src/runner/prompter';

/** A prompter that answers from a list and records what it was asked. */
export function scriptedPrompter(answers: PinEntry[]): Prompter & { asked: PinRequest[] } {
  const asked: PinRequest[] = [];
  return {
    asked,
    async askPins(_application, requests) {
      asked.push(...requests);
      return requests.map((_, i) => answers.shift() ?? { pin: '', confirmation: `missing ${i}` });
    },
  };
}

/** A prompter nobody answers. */
export const cancellingPrompter: Prompter = {
  async askPins() {
    throw new CardfleetError('PIN_CANCELLED', 'the operator cancelled the PIN dialog');
  },
};
