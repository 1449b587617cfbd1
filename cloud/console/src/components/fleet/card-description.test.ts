import { describe, expect, it } from 'vitest';
import { describeCard } from './card-description';

// The virtual CardOS card's ATR (examples/cards/cardos.json) and one of the Gemalto middleware's list (ATR3).
const CARDOS = '3BD218008131FE58C90217';
const IDPRIME = '3B8A80010031C173C8400000900090';

describe("a reader's card on the fleet page", () => {
  it("keeps the agent's names, and analyses the ATR here", () => {
    const card = describeCard(CARDOS, ['Atos CardOS 5.3 (PKI)']);
    expect(card.names).toEqual(['Atos CardOS 5.3 (PKI)']);
    expect(card.namedBy).toBe('agent');
    expect(card.analysis).toContain('ATR: 3B D2 18 00 81 31 FE 58 C9 02 17');
    expect(card.analysis).toContain('Possibly identified card: Atos CardOS 5.3 (PKI)');
  });

  it("names a card from the middleware's ATR list when the agent found no name", () => {
    const card = describeCard(IDPRIME, []);
    expect(card.namedBy).toBe('browser');
    expect(card.names[0]).toMatch(/^Gemalto IDPrime/);
  });

  it('says nothing it does not know: no names, and no analysis of what is not an ATR', () => {
    expect(describeCard(CARDOS, [])).toMatchObject({ names: [], namedBy: 'none' });
    expect(describeCard('00', []).analysis).toBeUndefined();
    expect(describeCard(null, []).analysis).toBeUndefined();
    expect(describeCard('not hex', []).analysis).toBeUndefined();
  });
});
