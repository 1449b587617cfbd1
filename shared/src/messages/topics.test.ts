import { describe, expect, it } from 'vitest';
import { agentTopics, TOPIC_ROOT, topicRootFor, topics } from './topics';

describe('MQTT topics of an agent', () => {
  it('are one tree per agent under the root', () => {
    const t = agentTopics('app/stage/agents');
    expect(t.root).toBe('app/stage/agents');
    expect([t.jobs, t.acks, t.progress, t.results, t.presence, t.batch].map((of) => of('agent-1'))).toEqual([
      'app/stage/agents/agent-1/jobs',
      'app/stage/agents/agent-1/acks',
      'app/stage/agents/agent-1/progress',
      'app/stage/agents/agent-1/results',
      'app/stage/agents/agent-1/presence',
      'app/stage/agents/agent-1/batch',
    ]);
  });

  it('live under cardfleet/agents locally', () => {
    expect(TOPIC_ROOT).toBe('cardfleet/agents');
    expect(topics.root).toBe('cardfleet/agents');
    expect(topics.jobs('a')).toBe('cardfleet/agents/a/jobs');
  });

  it("root a stage's topics at <app>/<stage>/agents for levels of 1 to 64 letters, digits, _ and -", () => {
    const level64 = `a${'b'.repeat(63)}`;
    expect(topicRootFor('cardfleet', 'prod')).toBe('cardfleet/prod/agents');
    for (const level of ['a', 'Z', '0', 'a_b-c', level64]) {
      expect(topicRootFor(level, 'prod')).toBe(`${level}/prod/agents`);
      expect(topicRootFor('app', level)).toBe(`app/${level}/agents`);
    }
  });

  it('refuse an app or a stage that is not one topic level', () => {
    const bad = ['', `a${'b'.repeat(64)}`, '_a', '-a', 'a/b', 'a+', '#', ' a', 'a ', 'a.b', 'a\n'];
    for (const level of bad) {
      expect(() => topicRootFor(level, 'prod'), JSON.stringify(level)).toThrow(
        `not a topic level: ${level}/prod`,
      );
      expect(() => topicRootFor('app', level), JSON.stringify(level)).toThrow(
        `not a topic level: app/${level}`,
      );
    }
  });
});
