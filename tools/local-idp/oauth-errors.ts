/** An RFC 6749 section 5.2 error response. */
export class OAuthError extends Error {
  constructor(
    readonly error:
      | 'invalid_request'
      | 'invalid_client'
      | 'invalid_grant'
      | 'unauthorized_client'
      | 'unsupported_grant_type'
      | 'invalid_scope',
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
    /** Set when the client tried HTTP Basic: RFC 6749 requires a matching challenge. */
    readonly wwwAuthenticate?: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }

  get body(): string {
    return JSON.stringify({ error: this.error, error_description: this.description });
  }
}
