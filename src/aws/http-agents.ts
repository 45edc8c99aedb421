/**
 * Which HTTP agents the AWS calls go through: the SDK's own (direct, default trust store), one that
 * trusts AWS_CA_BUNDLE, or one that tunnels through HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (honouring
 * NO_PROXY) with that trust. Decided apart from the calls, so every SDK operation (and any plain
 * HTTPS request) connects the same way. SDK-free; the proxy code is loaded only when a proxy is set.
 */
import type { Env } from '../env';
import type { HttpAgents } from './aws-sdk';
import { readCaBundle } from './ca-bundle';
import { proxyConfigured } from './proxy-configured';

/** The chosen agents, for the duration of one call. */
export interface AgentChoice {
  readonly agents: HttpAgents;
  /** ` through proxy <origin>` when the last connection went through a proxy, else ''. */
  via(): string;
  /** Closes the agents' sockets (they keep alive for the call's several requests). */
  destroy(): void;
}

/** Chooses the agents the environment asks for; a bad AWS_CA_BUNDLE is a CONFIG error. */
export async function chooseAgents(env: Env): Promise<AgentChoice> {
  const ca = readCaBundle(env);
  if (proxyConfigured(env)) {
    const { EnvProxyAgent } = await import('./proxy-agent');
    const proxy = new EnvProxyAgent({ keepAlive: true, env, ...(ca ? { ca } : {}) });
    return {
      agents: { httpAgent: proxy, httpsAgent: proxy },
      via: () => (proxy.lastProxy ? ` through proxy ${proxy.lastProxy}` : ''),
      destroy: () => proxy.destroy(),
    };
  }
  if (ca) {
    // Imported here, not at the top: a cache hit must not load node:https (and with it TLS).
    const { Agent } = await import('node:https');
    const agent = new Agent({ keepAlive: true, ca });
    return { agents: { httpsAgent: agent }, via: () => '', destroy: () => agent.destroy() };
  }
  return { agents: {}, via: () => '', destroy: () => undefined };
}
