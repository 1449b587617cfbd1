import { silentLogger } from '@cardfleet/shared';
import { AgentSession, type AgentSessionOptions } from '../../edge-agent/src/daemon/agent-session';
import { InProcessReaders } from '../../edge-agent/src/readers/in-process-readers';
import { systemClock } from '../../edge-agent/src/runner/clock';

/**
 * An agent's MQTT session with nothing behind it (no jobs run, nothing logged): for broker
 * tests that need only how the agent connects, announces itself and reconnects.
 */
export function bareAgentSession(
  options: Pick<AgentSessionOptions, 'agentId' | 'mqttUrl'> & Partial<AgentSessionOptions>,
): AgentSession {
  return new AgentSession({
    readers: new InProcessReaders(),
    clock: systemClock,
    logger: silentLogger,
    onJob: () => undefined,
    onCancel: () => undefined,
    onAck: () => undefined,
    onReconnect: () => undefined,
    ...options,
  });
}
