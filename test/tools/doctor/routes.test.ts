import { type RoutesTemplate, routesOf, synthesizedRoutes } from '../../../tools/doctor/routes';
import { templateFor } from '../../support/templates';

describe('the route list the doctor reads from its synth', () => {
  test("is dev's: issuer and audience overrides change no route (test/support/run-doctor.ts relies on it)", () => {
    // GIVEN every issuer and the audiences overridden, as the doctor's tests do
    const overrides = {
      issuerUrl: 'https://127.0.0.1:9443/oauth2/token',
      'issuerUrl.partner': 'https://127.0.0.1:9443/t/partner.example.com/oauth2/token',
      audiences: 'client-a,client-b',
    };

    // WHEN / THEN
    expect(synthesizedRoutes(overrides)).toEqual(routesOf(templateFor('dev').toJSON() as RoutesTemplate));
  });

  test("names each route's key, authorizer and scopes; a public route has neither", () => {
    const routes = routesOf(templateFor('dev').toJSON() as RoutesTemplate);

    expect(routes.find((route) => route.routeKey === 'GET /reports')).toEqual({
      routeKey: 'GET /reports',
      protected: true,
      scopes: ['reports:read'],
      authorizer: 'Wso2JwtAuthorizer',
    });
    expect(routes.find((route) => route.routeKey === 'GET /partner/orders')).toMatchObject({
      protected: true,
      authorizer: 'Wso2JwtAuthorizerPartner',
    });
    expect(routes.find((route) => route.routeKey === 'GET /health')).toEqual({
      routeKey: 'GET /health',
      protected: false,
      scopes: [],
    });
  });
});
