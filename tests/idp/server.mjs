// Test identity provider for Entra Desk's sign-in tests: oidc-provider (OpenID Certified) on 127.0.0.1.
//
// Shaped like an Entra tenant: the authority is http://127.0.0.1:PORT/{tenant}, discovery lives at
// {authority}/v2.0/.well-known/openid-configuration and the issuer is {authority}/v2.0.
// One native public client (no secret, PKCE required, loopback redirect http://127.0.0.1/ on any port,
// device flow allowed). Any login/password is accepted by the provider's development login page.
//
// Prints one JSON line on stdout once listening: {"port":..,"authority":..,"issuer":..,"clientId":..,"tenant":..}
// Environment (all optional):
//   IDP_TENANT            tenant segment (default a fixed GUID)
//   IDP_CLIENT_ID         client id (default entra-desk-test)
//   IDP_AT_TTL            access token lifetime in seconds (default 3600)
//   IDP_DEVICE_CODE_TTL   device code lifetime in seconds (default 600)
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const tenant = process.env.IDP_TENANT || '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = process.env.IDP_CLIENT_ID || 'entra-desk-test';
const atTtl = Number(process.env.IDP_AT_TTL || 3600);
const deviceTtl = Number(process.env.IDP_DEVICE_CODE_TTL || 600);
const prefix = `/${tenant}/v2.0`;

// Stable, Entra-like object ids derived from the login name.
function oidFor(login) {
  const h = crypto.createHash('sha256').update(login).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

let handler = (req, res) => {
  res.statusCode = 503;
  res.end();
};
const server = http.createServer((req, res) => handler(req, res));

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const authority = `http://127.0.0.1:${port}/${tenant}`;
  const issuer = `${authority}/v2.0`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/'],
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        response_types: ['code'],
      },
    ],
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      revocation: { enabled: false },
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: {
      openid: ['sub', 'oid', 'tid'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
    },
    // Put the profile claims in the id_token, as Entra does.
    conformIdTokenClaims: false,
    ttl: {
      AccessToken: atTtl,
      DeviceCode: deviceTtl,
    },
    async findAccount(ctx, id) {
      const login = String(id);
      return {
        accountId: login,
        async claims() {
          const name = login.split('@')[0];
          return {
            sub: oidFor(login),
            oid: oidFor(login),
            tid: tenant,
            preferred_username: login.includes('@') ? login : `${login}@contoso.test`,
            name: name.charAt(0).toUpperCase() + name.slice(1),
            email: login.includes('@') ? login : `${login}@contoso.test`,
          };
        },
      };
    },
  });
  provider.proxy = false;
  const callback = provider.callback();
  handler = (req, res) => {
    if (req.url === prefix || req.url.startsWith(`${prefix}/`) || req.url.startsWith(`${prefix}?`)) {
      req.originalUrl = req.url;
      req.url = req.url.slice(prefix.length) || '/';
      callback(req, res);
    } else {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: 'not_found', error_description: `no tenant at ${req.url}` }));
    }
  };
  process.stdout.write(`${JSON.stringify({ port, authority, issuer, clientId, tenant })}\n`);
});

for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
// Exit when the test process that spawned us goes away.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
