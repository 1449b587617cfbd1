// The part of oidc-provider v9 (node_modules/oidc-provider, no types of its own) that
// test/support/oidc-provider.ts uses: its configuration is an object of callbacks.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface Grant {
    addOIDCScope(scope: string): void;
    addResourceScope(indicator: string, scope: string): void;
    save(): Promise<string>;
  }
  interface Context {
    oidc: {
      session?: { accountId?: string };
      client?: { clientId: string };
      provider: { Grant: new (init: { accountId: string; clientId: string }) => Grant };
    };
  }
  export const errors: { InvalidTarget: new (description?: string) => Error };
  export default class Provider {
    constructor(
      issuer: string,
      configuration: Record<string, unknown> & {
        features?: Record<string, unknown> & {
          resourceIndicators?: {
            enabled: boolean;
            defaultResource?: (
              ctx: Context,
              client: unknown,
              oneOf?: string[],
            ) => Promise<string | string[] | undefined>;
            useGrantedResource?: (ctx: Context, model: unknown) => Promise<boolean>;
            getResourceServerInfo?: (
              ctx: Context,
              indicator: string,
              client: unknown,
            ) => Promise<Record<string, unknown>>;
          };
        };
        pkce?: { required?: (ctx: Context, client: unknown) => boolean };
        clientBasedCORS?: (ctx: Context, origin: string, client: unknown) => boolean;
        findAccount?: (
          ctx: Context,
          sub: string,
        ) => Promise<{ accountId: string; claims: () => Promise<Record<string, unknown>> } | undefined>;
        extraTokenClaims?: (
          ctx: Context,
          token: { kind: string; accountId?: string },
        ) => Promise<Record<string, unknown> | undefined>;
        loadExistingGrant?: (ctx: Context) => Promise<Grant | undefined>;
      },
    );
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  }
}
