/**
 * HTTPS_PROXY / HTTP_PROXY / ALL_PROXY and NO_PROXY for the SDK's API calls, which the SDK's Node
 * handler ignores. The endpoint is only known per request, so one agent decides per connection:
 * direct, or tunnelled through the proxy that proxy-from-env picks for that URL. Part of the lazily
 * loaded AWS bundle and imported only when proxyConfigured() says so; hand-written only as the
 * 20-line glue between two small libraries (the `proxy-agent` package does the same but brings PAC
 * and SOCKS support with a JS engine).
 */
import type { AgentOptions, ClientRequest } from 'node:http';
import { connect as netConnect } from 'node:net';
import { isIP } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';
import type { Env } from '../env';
import { safeOrigin } from './credential-sources';
import { checkProxyScheme, proxyVariableFor } from './proxy-configured';

/** An agent that sends each connection through the proxy the environment names for it, if any. */
export class EnvProxyAgent extends Agent {
  private readonly tunnels = new Map<string, HttpsProxyAgent<string>>();
  /** The proxy (origin only) the last connection went through, or undefined if direct. */
  lastProxy: string | undefined;
  /** Trusted CAs (AWS_CA_BUNDLE) for TLS to the endpoint, direct or through the tunnel. */
  private readonly ca: string | undefined;
  /** The environment proxy-from-env reads, to name the variable of a refused proxy. */
  private readonly env: Env;

  constructor(options: AgentOptions & { ca?: string; env: Env }) {
    const { ca, env, ...agentOptions } = options;
    super(agentOptions);
    this.ca = ca;
    this.env = env;
  }

  override connect(_request: ClientRequest, options: AgentConnectOpts) {
    const scheme = options.secureEndpoint ? 'https' : 'http';
    const proxy = getProxyForUrl(`${scheme}://${options.host ?? 'localhost'}:${options.port}`);
    if (!proxy) {
      this.lastProxy = undefined;
      if (!options.secureEndpoint) return netConnect(options);
      const host = options.host ?? 'localhost';
      return tlsConnect({
        ...options,
        ...(isIP(host) ? {} : { servername: host }),
        ...(this.ca ? { ca: this.ca } : {}),
      });
    }
    checkProxyScheme(proxy, proxyVariableFor(this.env, scheme));
    // The tunnel agent upgrades to TLS with these very options (agent-base passes them on).
    if (this.ca && options.secureEndpoint) options.ca = this.ca;
    this.lastProxy = safeOrigin(proxy, 'proxy URL');
    let tunnel = this.tunnels.get(proxy);
    if (!tunnel) {
      tunnel = new HttpsProxyAgent(proxy);
      this.tunnels.set(proxy, tunnel);
    }
    return tunnel;
  }

  override destroy(): void {
    for (const tunnel of this.tunnels.values()) tunnel.destroy();
    super.destroy();
  }
}
