import type { CardChannel, ReaderPort } from '../readers/reader-port';
import type { Clock } from '../runner/clock';

/**
 * The reader port with every APDU exchange timed (monotonic clock): what the agent's
 * `cardfleet_agent_apdu_seconds` histogram counts. Only the duration leaves here — never
 * a command or a response, which may hold a PIN.
 */
export function timedReaders(
  readers: ReaderPort,
  clock: Clock,
  observe: (seconds: number) => void,
): ReaderPort {
  return {
    readers: () => readers.readers(),
    onEvent: (listener) => readers.onEvent(listener),
    close: () => readers.close(),
    connect: async (reader) => timedChannel(await readers.connect(reader), clock, observe),
  };
}

function timedChannel(channel: CardChannel, clock: Clock, observe: (seconds: number) => void): CardChannel {
  return {
    get reader() {
      return channel.reader;
    },
    get atr() {
      return channel.atr;
    },
    get protocol() {
      return channel.protocol;
    },
    exchange: async (command, maxResponse) => {
      const started = clock.monotonicMs();
      try {
        return await channel.exchange(command, maxResponse);
      } finally {
        observe((clock.monotonicMs() - started) / 1000);
      }
    },
    disconnect: () => channel.disconnect(),
  };
}
