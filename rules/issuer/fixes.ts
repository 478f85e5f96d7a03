/**
 * What to change, in WSO2 IS / Asgardeo terms, for each way a set-up fails. Kept in one
 * place so the CLI, the deploy-time check and the tests use the same words.
 */

/** Appended to checks that only pass because of --allow-private or --ca-file. */
export const LOCAL_ONLY = 'local only: API Gateway will not accept this';

export const FIX = {
  trailingSlash:
    'remove the trailing "/" from the issuer: WSO2 issuers end in /oauth2/token and API Gateway compares iss exactly',
  hostUnresolved:
    'use a host name that resolves in public DNS: check issuerUrl (or wso2.host / asgardeo.org) in cdk.json ' +
    "and WSO2's [server] hostname in deployment.toml",
  dnsUnavailable:
    'DNS could not be reached from this machine (offline, or no resolver answering): check the network, VPN ' +
    'or proxy settings (HTTPS_PROXY for a proxy) and run the doctor again; this says nothing about the issuer yet',
  proxyUnreachable:
    'the proxy in HTTPS_PROXY could not reach the issuer (or could not be reached): check the proxy URL and ' +
    'its credentials, or list the issuer host in NO_PROXY if it is reachable directly',
  hostBehindProxy:
    'check that the issuer host resolves in public DNS (API Gateway does not use your proxy): e.g. from a ' +
    'machine outside this network, or with a public DNS lookup service',
  hostPrivate:
    'API Gateway fetches the keys over the internet: publish WSO2 IS on a public host name ([server] hostname in ' +
    'deployment.toml) and use https://<that host>/oauth2/token, or use Asgardeo ' +
    '(https://api.asgardeo.io/t/<org>/oauth2/token)',
  tlsUntrusted:
    'serve WSO2 IS with a certificate from a public CA (replace the self-signed wso2carbon keystore certificate, or ' +
    'terminate TLS at a load balancer with a public certificate): API Gateway refuses self-signed and private-CA ' +
    'certificates',
  discoveryMissing:
    'WSO2 IS serves <issuer>/.well-known/openid-configuration from 5.8 on (Asgardeo always): upgrade WSO2 IS, and ' +
    'check the issuer path (tenants: https://<host>/t/<tenant>/oauth2/token)',
  discoverySlow:
    'API Gateway waits 1500 ms for the discovery document: bring the WSO2 IS host closer to AWS or add capacity (a ' +
    'slow issuer means 401 for every request)',
  discoveryNotJson:
    'the discovery URL must answer the OpenID discovery JSON: check that the issuer URL points at WSO2 IS, not at a ' +
    'login page or proxy',
  issuerMismatch:
    'make them equal: set issuerUrl in cdk.json to the discovery issuer, or change WSO2 IS: Identity Providers -> ' +
    'Resident -> Inbound Authentication Configuration -> OAuth2/OpenID Connect -> Identity Provider Entity Id',
  jwksUriNotHttps:
    'WSO2 IS must publish jwks_uri over https: set [server] hostname and the proxy/port settings in deployment.toml ' +
    'so discovery advertises https://<host>/oauth2/jwks',
  jwksSlow: 'API Gateway waits 1500 ms for the JWKS: bring the WSO2 IS host closer to AWS or add capacity',
  jwksTooLarge:
    'API Gateway reads at most 150000 bytes of JWKS: remove old certificates from the WSO2 IS keystore (and tenant ' +
    'keystores) so fewer keys are published',
  jwksUnreachable:
    'the JWKS must answer 200 JSON {"keys":[...]} over https from the internet: check jwks_uri in the discovery ' +
    'document and any proxy in front of WSO2 IS',
  noRsaKey:
    'sign tokens with an RSA key: API Gateway only accepts RS256/RS384/RS512, so the WSO2 IS keystore ' +
    '(wso2carbon.jks or the tenant keystore) must hold an RSA key pair',
  nonRsaKeys:
    "API Gateway ignores these keys; tokens signed with them get 401: keep the application's token signing algorithm " +
    'RS256',
  keyWithoutKid:
    "API Gateway matches the token's kid against the JWKS: upgrade WSO2 IS (it publishes a kid per key) or fix the " +
    'proxy that rewrites the JWKS',
  opaqueToken:
    'set the token type to JWT: WSO2 IS 7 / Asgardeo: Applications -> <app> -> Protocol -> Access Token -> Token ' +
    'type: JWT; WSO2 IS 5.x/6.x: Service Providers -> <SP> -> Inbound Authentication -> OAuth/OpenID Connect -> ' +
    'Token Issuer: JWT',
  malformedToken: "pass the access_token field of WSO2's token response, whole (three dot-separated parts)",
  algNotRsa:
    "set the application's access token signing algorithm to RS256 (API Gateway only accepts RS256/RS384/RS512)",
  kidMissing: 'API Gateway requires a kid in the token header: upgrade WSO2 IS, whose JWT access tokens carry one',
  kidUnknown:
    "the token's kid is not in the JWKS: after a WSO2 IS upgrade set [oauth.jwks_endpoint] add_previous_version_kid " +
    '= true in deployment.toml; otherwise the token comes from another server, tenant or keystore',
  signature:
    "the token was not signed by this issuer's key: get it from this issuer (same host, same tenant) and check that " +
    'the JWKS serves the current signing certificate',
  issMismatch:
    "make them equal: set issuerUrl in cdk.json to the token's iss, or change WSO2 IS's Resident Identity Provider " +
    'entity id (port, tenant path and trailing slash all count)',
  audMismatch:
    "add the application's client id to audiences in cdk.json (or -c audiences=), or get the token with a " +
    'client whose id is listed',
  audValueMissing:
    "add the token's aud value to audiences in cdk.json (or -c audiences=): API Gateway matches aud and looks " +
    'at client_id only when a token has no aud; or stop the identity provider from putting a resource ' +
    'indicator in aud',
  expClaim:
    'API Gateway requires exp as a number of seconds since the epoch: WSO2 IS and Asgardeo always set it, so ' +
    'check that the token comes from the issuer and was not rebuilt by a proxy',
  expired:
    "get a fresh token; if tokens expire too soon, raise the application's access token expiry time (Protocol -> " +
    'Access Token in IS 7 / Asgardeo)',
  notYetValid: "the token's nbf/iat is in the future: synchronise the WSO2 IS server's clock (NTP) with UTC",
  idToken:
    'call the API with the access_token, not the id_token; require a scope on every protected route (defaultScopes ' +
    'in cdk.json) so ID tokens get 403',
  missingScope:
    'authorize the application for the scope (IS 7 / Asgardeo: Applications -> <app> -> API Authorization; IS ' +
    '5.x/6.x: OIDC scopes / API resources) and request it: -d scope="<scopes>"',
} as const;
